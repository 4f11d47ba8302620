"""A client that speaks Streamlit's own protocol, so that one simulated user costs almost nothing: no browser.

A browser tab of the app is a cookie jar, a WebSocket to `/_stcore/stream` and a few HTTP requests. This client does
what the page's JavaScript does:
- it first GETs `/_stcore/health`, which sets Streamlit's XSRF cookie (and, behind deploy/nginx.conf, the routing
  cookie that keeps the tab on one app process);
- it opens the WebSocket with the subprotocols `streamlit, <xsrf token>` and every cookie, the `kpi_session` one
  included, so that a refreshed tab is signed in again;
- a page run is a `BackMsg.rerun_script` (the page's hash from the `navigation` message, the widgets changed) and
  lasts until the `ForwardMsg.script_finished` that does not merely restart it (st.rerun);
- after a login the sidebar holds the one-time code (app.py keep_in_cookie) that the browser POSTs to /kpi-session
  for the HttpOnly cookie: the client POSTs it too;
- a file goes through `file_urls_request`, an HTTP PUT to the URL the server gives, and the uploader widget's state.

What a run showed is kept as text (headings, Markdown, alerts, metrics, exceptions), and each widget by its key and
its label, enough for the load generator and the tests to act and to check what a user would see.
"""

import asyncio
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from data_model.sessions import COOKIE, COOKIE_ROUTE

XSRF_COOKIE = "_streamlit_xsrf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HANDOVER = re.compile(rf"fetch\('{COOKIE_ROUTE}', \{{method: 'POST', body: '([^']+)'")
WIDGETS = {  # element kinds a user acts on, with the field holding their id
    "button",
    "checkbox",
    "date_input",
    "file_uploader",
    "multiselect",
    "number_input",
    "radio",
    "selectbox",
    "text_area",
    "text_input",
    "button_group",
    "download_button",
}
ALERTS = {1: "error", 2: "warning", 3: "info", 4: "success"}
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


class Disconnected(Exception):
    """The app process closed the connection (or died) before the page finished."""


class NotInMenu(Exception):
    """The page asked for is not in the menu the app showed last (not signed in, or not for this role)."""


@dataclass(frozen=True)
class Widget:
    id: str
    kind: str
    label: str
    options: tuple[str, ...] = ()  # a selectbox's options as shown


@dataclass
class Run:
    """What one page run showed."""

    page: str
    seconds: float = 0.0
    messages: int = 0
    texts: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (error|warning|info|success, text)
    exceptions: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)  # by key, and by label
    html: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for shown in (self.texts, self.alerts, self.exceptions, self.widgets, self.html):
            shown.clear()

    def shows(self, text: str) -> bool:
        return any(text in t for t in self.texts)

    @property
    def errors(self) -> list[str]:
        return [text for kind, text in self.alerts if kind == "error"] + self.exceptions

    def add(self, element) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind in ("markdown", "heading", "text", "code"):
            self.texts.append(body.body)
        elif kind == "alert":
            self.alerts.append((ALERTS.get(body.format, "info"), body.body))
            self.texts.append(body.body)
        elif kind == "metric":
            self.texts.append(f"{body.label} {body.body}")
        elif kind == "exception":
            self.exceptions.append(f"{body.type}: {body.message}")
        elif kind == "html":
            self.html.append(body.body)
        elif kind in WIDGETS:
            widget = Widget(body.id, kind, getattr(body, "label", ""), tuple(getattr(body, "options", ())))
            self.widgets[body.id.rsplit("-", 1)[-1]] = widget  # "$$ID-<hash>-<key>": the key, when one was given
            if widget.label:
                self.widgets.setdefault(widget.label, widget)


class StreamlitClient:
    """One simulated browser tab of the app at `url` (the app process itself, or nginx in front of several)."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.ws: ClientConnection | None = None
        self.session_id = ""
        self.pages: dict[str, tuple[str, str]] = {}  # title -> (page_script_hash, url_pathname)
        self.page = ""  # the title of the page shown
        self.redeemed: set[str] = set()
        self.upstream = ""  # the app process behind nginx, when its configuration names it (deploy/run-local.sh)

    # -- connection -------------------------------------------------------------------------------------------

    async def connect(self) -> None:
        health = await asyncio.to_thread(self.http.get, f"{self.url}/_stcore/health", timeout=self.timeout)
        # nginx lists every process it tried ("127.0.0.1:8501, 127.0.0.1:8502"): the last one answered.
        self.upstream = health.headers.get("X-Kpi-Upstream", "").rpartition(", ")[2]
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        try:
            self.ws = await connect(
                f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
                subprotocols=["streamlit", self.http.cookies.get(XSRF_COOKIE, "")],
                additional_headers={"Cookie": cookies} if cookies else {},
                max_size=None,
                open_timeout=self.timeout,
                ping_interval=None,  # as a browser: a busy server that is slow to answer a ping is not dropped
            )
        except (InvalidHandshake, ConnectionClosed) as refused:  # e.g. 502 from nginx: no process answered
            raise Disconnected(str(refused)) from refused

    async def reconnect(self) -> None:
        """What the browser does when its connection drops: a new connection, through the same front door."""
        await self.close()
        await self.connect()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    @property
    def cookie(self) -> str | None:
        return self.http.cookies.get(COOKIE)

    # -- page runs ---------------------------------------------------------------------------------------------

    async def run(self, page: str | None = None, widgets: list[WidgetState] = ()) -> Run:
        """Run `page` (a title from the menu; default the page shown), with `widgets` changed by the user."""
        if page is not None and page not in self.pages:
            raise NotInMenu(f"{page} is not in the menu: {sorted(self.pages)}")
        title = page or self.page
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        if title in self.pages:
            state.page_script_hash, state.page_name = self.pages[title]
        state.widget_states.widgets.extend(widgets)
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.locale = "zh-CN"
        state.context_info.url = f"{self.url}/{self.pages.get(title, ('', ''))[1]}"
        run = Run(title)
        start = time.perf_counter()
        await self._send(message)
        async for reply in self._replies():
            run.messages += 1
            kind = reply.WhichOneof("type")
            if kind == "new_session":  # a script run starts (again, after st.rerun): only its output counts
                self.session_id = reply.new_session.initialize.session_id
                run.clear()
            elif kind == "navigation":
                self.pages = {}
                for p in reply.navigation.app_pages:  # a title several pages share (登录) means the first
                    self.pages.setdefault(p.page_name, (p.page_script_hash, p.url_pathname))
                shown = [
                    p.page_name
                    for p in reply.navigation.app_pages
                    if p.page_script_hash == reply.navigation.page_script_hash
                ]
                self.page = run.page = shown[0] if shown else title
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                run.add(reply.delta.new_element)
            elif kind == "script_finished" and reply.script_finished in FINISHED:
                break
        run.seconds = time.perf_counter() - start
        await self._redeem(run)
        return run

    async def _send(self, message: BackMsg) -> None:
        if self.ws is None:
            raise Disconnected("not connected")
        try:
            await self.ws.send(message.SerializeToString())
        except ConnectionClosed as closed:
            raise Disconnected(str(closed)) from closed

    async def _replies(self):
        while True:
            try:
                data = await asyncio.wait_for(self.ws.recv(), self.timeout)
            except ConnectionClosed as closed:
                raise Disconnected(str(closed)) from closed
            reply = ForwardMsg()
            reply.ParseFromString(data)
            yield reply

    async def _redeem(self, run: Run) -> None:
        """Post the login's one-time code for the HttpOnly session cookie, as the page's script does."""
        for html in run.html:
            match = HANDOVER.search(html)
            if match and match.group(1) not in self.redeemed:
                self.redeemed.add(match.group(1))
                await asyncio.to_thread(
                    self.http.post, f"{self.url}{COOKIE_ROUTE}", data=match.group(1), timeout=self.timeout
                )

    # -- what a user does --------------------------------------------------------------------------------------

    async def sign_in(self, username: str, password: str) -> Run:
        form = await self.run()
        return await self.run(
            widgets=[
                text(form.widgets["login_username"], username),
                text(form.widgets["login_password"], password),
                click(form.widgets["登录"]),
            ]
        )

    async def upload(self, uploader: Widget, name: str, data: bytes) -> Run:
        """Choose `data` as the file `name` in the uploader, as a user dropping the file there."""
        request = BackMsg()
        request.file_urls_request.request_id = f"{uploader.id}-{time.monotonic_ns()}"
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self._send(request)
        async for reply in self._replies():
            if reply.WhichOneof("type") == "file_urls_response":
                if reply.file_urls_response.response_id == request.file_urls_request.request_id:
                    urls = reply.file_urls_response.file_urls[0]
                    break
        response = await asyncio.to_thread(
            self.http.put,
            f"{self.url}{urls.upload_url}",
            files={"file": (name, data, XLSX)},
            headers={"X-Xsrftoken": self.http.cookies.get(XSRF_COOKIE, "")},
            timeout=self.timeout,
        )
        response.raise_for_status()
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(data)
        info.file_urls.CopyFrom(urls)
        return await self.run(widgets=[state])


def text(widget: Widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def click(widget: Widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)


def choose(widget: Widget, option: str) -> WidgetState:
    """A selectbox set to the option shown as `option`."""
    return WidgetState(id=widget.id, string_value=option)


def number(widget: Widget, value: float) -> WidgetState:
    return WidgetState(id=widget.id, double_value=value)
