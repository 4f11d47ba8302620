#!/usr/bin/env bash
# The district deployment on this machine: N app processes and Debian's nginx in front of them, on the PostgreSQL
# database given in DATABASE_URL (initialised with `python -m data_model init`).
#
#   DATABASE_URL=postgresql+psycopg://kpi:PASSWORD@127.0.0.1:5432/kpi deploy/run-local.sh 3
#
# The app processes listen on 127.0.0.1:8501… (KPI_FIRST_PORT), nginx on 127.0.0.1:8080 (KPI_PORT), with the
# configuration of nginx-site.conf less TLS (kpi-http.conf and kpi-server.conf are included as they are). Every
# process shares KPI_SECRET_KEY (a random one unless set). It waits until each process and nginx answer, prints
# "ready: URL", and on Ctrl-C (or TERM) stops everything it started. KPI_RUN_DIR names the folder for the logs
# and for "apps" (one "port pid" line per app process, read by bench/bench_deploy.py); default a new temp folder.
set -euo pipefail

count=${1:?usage: deploy/run-local.sh N   (N app processes)}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
front=${KPI_PORT:-8080}
first=${KPI_FIRST_PORT:-8501}
run=${KPI_RUN_DIR:-$(mktemp -d /tmp/kpi-run.XXXXXX)}
mkdir -p "$run"
chmod 755 "$run"  # nginx's workers (nobody) keep their temp files there
export DATABASE_URL
export KPI_SECRET_KEY=${KPI_SECRET_KEY:-$("$python" -c 'import secrets; print(secrets.token_hex(32))')}

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped"
}
trap stop EXIT
trap 'exit 130' INT TERM

: >"$run/apps"
servers=""
for ((i = 0; i < count; i++)); do
  port=$((first + i))
  (cd "$root" && exec "$python" -m streamlit run server.py --server.port "$port" --server.address 127.0.0.1 \
    --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false) \
    >"$run/app-$port.log" 2>&1 &
  pids+=($!)
  echo "$port $!" >>"$run/apps"
  servers+="    server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"$'\n'
done

cat >"$run/nginx.conf" <<EOF
worker_processes auto;
pid $run/nginx.pid;
error_log $run/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log $run/nginx-access.log;
    client_body_temp_path $run/client_body;
    proxy_temp_path $run/proxy;
    fastcgi_temp_path $run/fastcgi;
    uwsgi_temp_path $run/uwsgi;
    scgi_temp_path $run/scgi;
    default_type application/octet-stream;
    include /etc/nginx/mime.types;
    include $root/deploy/kpi-http.conf;
    upstream kpi {
        hash \$kpi_route consistent;
$servers        keepalive 16;
    }
    server {
        listen 127.0.0.1:$front;
        include $root/deploy/kpi-server.conf;
        add_header X-Kpi-Upstream \$upstream_addr always;  # which app process answered, for bench/bench_load.py
    }
}
EOF
nginx -t -q -p "$run" -c "$run/nginx.conf"

healthy() { curl -fsS -o /dev/null --max-time 2 "$1/_stcore/health" 2>/dev/null; }
for ((i = 0; i < count; i++)); do
  until healthy "http://127.0.0.1:$((first + i))"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { cat "$run/app-$((first + i)).log"; exit 1; }
    sleep 0.5
  done
done
nginx -p "$run" -c "$run/nginx.conf" -g 'daemon off;' &
pids+=($!)
until healthy "http://127.0.0.1:$front"; do sleep 0.3; done
echo "ready: http://127.0.0.1:$front ($count app processes, logs in $run)"
wait
