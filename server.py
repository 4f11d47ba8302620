"""The web server: Streamlit's own (Starlette) serving app.py, plus the /kpi-session route that gives the browser
its login cookie as HttpOnly, so that no script in the page can read the session token.

Start it with `streamlit run server.py` (with app.py instead, a login would not survive a refresh).
"""

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data_model.sessions import COOKIE, COOKIE_ROUTE, SESSION_TTL, take_over


async def session_cookie(request: Request) -> Response:
    """Redeem a one-time code (the request's body) for the cookie holding its session token."""
    token = take_over((await request.body()).decode(errors="replace"))
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


app = st.App("app.py", routes=[Route(COOKIE_ROUTE, session_cookie, methods=["POST"])])
