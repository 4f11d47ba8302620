"""The overview page's server run (streamlit AppTest of app.py, signed in as the leader) on a database
of --records records, side by side with the same on a database of 1,000.

    python -m bench.bench_overview [--records 1000000] [--projects 1] [--db URL] [--repeat 5] [--page overview]

--page indicator (指标详情, as first opened: indicator 1) or --page budget (预算执行) times that page instead.

Two figures for each size: a cold run, the cached results cleared first (what the first viewer after
a change of data waits for), and a warm run (what every other view costs).
"""

import os
import time

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.common import default_db, figure, goal, options, record_count
from bench.generate import build_database
from data_model.auth import DEMO_USERS, ensure_demo_users
from data_model.db import ROOT, session

SMALL = 1_000
LEADER = next((username, password) for username, _, role, password in DEMO_USERS if role == "leader")


PAGES = ("overview", "indicator", "budget")


def signed_in(url: str, page: str) -> AppTest:
    """The app on `url`, signed in as the demo leader, showing `page`."""
    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.text_input[0].input(LEADER[0])
    at.text_input[1].input(LEADER[1])
    at.button[0].click()
    at.run()
    at.run()  # AppTest shows the run that called st.rerun(); the next one is the signed-in overview
    if page != "overview":
        at.switch_page(f"pages/views/{page}.py")
        at.run()
    if at.exception or not at.dataframe:
        raise SystemExit(f"the page {page} did not show on {url}: {at.exception}")
    return at


def page_run(at: AppTest, url: str, *, cold: bool) -> float:
    os.environ["DATABASE_URL"] = url
    if cold:
        st.cache_data.clear()
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception}")
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = options(__doc__.splitlines()[0])
    parser.add_argument("--page", choices=PAGES, default="overview")
    args = parser.parse_args(argv)
    urls = {"large": args.db or default_db(args.records, args.projects), "small": default_db(SMALL, args.projects)}
    sizes = {"large": args.records, "small": SMALL}
    apps, counts = {}, {}
    for size, url in urls.items():
        engine = build_database(url, sizes[size], args.projects)
        with session(engine) as s:
            ensure_demo_users(s)
        counts[size] = record_count(engine)
        if url not in apps:  # --records 1000 measures the small database against itself
            apps[url] = signed_in(url, args.page)
    best = {(size, cold): float("inf") for size in urls for cold in (True, False)}
    for _ in range(args.repeat):
        for size, cold in best:  # taking turns, so that load on the machine hits all alike
            best[size, cold] = min(best[size, cold], page_run(apps[urls[size]], urls[size], cold=cold))
    print(
        f"{args.page} as the leader; {counts['large']:,} records against {counts['small']:,}, "
        f"{args.projects} projects; best of {args.repeat}"
    )
    for cold, label in ((True, "cold (cache cleared)"), (False, "warm (cached)")):
        large, small = best["large", cold], best["small", cold]
        figure(f"{label}: {counts['small']:,} records", small)
        ratio = large / small
        figure(f"{label}: {counts['large']:,} records", large, goal(ratio, ratio <= 1.5, "<= 1.5x the small database"))


if __name__ == "__main__":
    main()
