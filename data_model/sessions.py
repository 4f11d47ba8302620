"""Signed, expiring session tokens: a login survives a browser refresh, and nobody can forge one.

A token reads `name.version.expires.signature`: the base64url username, the account's session version,
the expiry in Unix seconds, and an HMAC-SHA256 of those three under the server's secret key. Logging out,
and any admin change to the account, bumps the version, so every token issued before is refused.

The browser keeps the token in an HttpOnly cookie, out of reach of the page's scripts. A login happens over
Streamlit's WebSocket, where no cookie can be set, so the page hands the browser a one-time code instead
(hand_over), which it posts to the server's /kpi-session route (server.py) for the cookie (take_over).
"""

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from data_model import audit
from data_model.db import ROOT
from data_model.models import User

SESSION_TTL = timedelta(hours=8)  # one working day
COOKIE = "kpi_session"
COOKIE_ROUTE = "/kpi-session"  # where the browser redeems a one-time code for the cookie (server.py)
HANDOVER_SECONDS = 60  # how long a one-time code may wait for the browser to redeem it
SECRET_ENV = "KPI_SECRET_KEY"
SECRET_FILE = ROOT / "data" / "secret.key"


def secret_key() -> bytes:
    """KPI_SECRET_KEY if set (needed when several servers share the sessions), else a key generated once under data/."""
    configured = os.environ.get(SECRET_ENV, "").strip()
    if configured:
        return configured.encode()
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = SECRET_FILE.with_name(f"secret.{os.getpid()}.tmp")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, SECRET_FILE)  # atomic: two servers starting together end up with one key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return SECRET_FILE.read_text().strip().encode()


def _sign(body: str) -> str:
    return hmac.new(secret_key(), body.encode(), hashlib.sha256).hexdigest()


def issue_token(user: User, now: datetime | None = None) -> str:
    expires = int(((now or datetime.now(timezone.utc)) + SESSION_TTL).timestamp())
    name = base64.urlsafe_b64encode(user.username.encode()).decode().rstrip("=")
    body = f"{name}.{user.session_version}.{expires}"
    return f"{body}.{_sign(body)}"


def read_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The account a token signs in, or None if it is forged, altered, expired or revoked."""
    parts = token.split(".")
    if len(parts) != 4 or not hmac.compare_digest(parts[3], _sign(".".join(parts[:3]))):
        return None
    name, version, expires = parts[:3]  # signed by this server, so well-formed
    if int(expires) <= (now or datetime.now(timezone.utc)).timestamp():
        return None
    username = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.disabled or str(user.session_version) != version:
        return None
    return user


def end_sessions(user: User) -> None:
    """Revoke every token issued to this account so far; the caller commits."""
    user.session_version += 1


def sign_out(session: Session, username: str) -> None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is not None:
        end_sessions(user)
        audit.record(session, username, "logout", "退出登录")
        session.commit()


_handovers: dict[str, tuple[str, float]] = {}  # one-time code -> (token, redeemable until), in this process
_handovers_lock = threading.Lock()


def hand_over(token: str) -> str:
    """A one-time code the browser redeems for the token's cookie, within HANDOVER_SECONDS, from this process."""
    now = time.monotonic()
    code = secrets.token_urlsafe(32)
    with _handovers_lock:
        for stale in [c for c, (_, until) in _handovers.items() if until < now]:
            del _handovers[stale]
        _handovers[code] = (token, now + HANDOVER_SECONDS)
    return code


def take_over(code: str) -> str | None:
    """The token a code was handed over for, once; None for an unknown, used or expired code."""
    with _handovers_lock:
        token, until = _handovers.pop(code, (None, 0.0))
    return token if until >= time.monotonic() else None
