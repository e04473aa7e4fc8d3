"""A local, recording stand-in of Slack's Web API over real HTTP (point SLACK_API_URL at it)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from baton.standin.calls import Call, Failure
from baton.standin.channels import Channel
from baton.standin.handler import make_handler
from baton.standin.methods import Answer, SlackError, Workspace
from baton.standin.socket_mode import SocketModeServer
from baton.standin.validation import validate_call

# Extra checks before a call is answered: Slack's error answer, or None to go on.
CallCheck = Callable[[str, dict[str, Any]], Answer | None]
# Methods Slack answers only for the app-level token (xapp-...), never for the bot token.
APP_TOKEN_METHODS = {"apps.connections.open"}


def token_error(method: str, token: str | None, *, bot_token: str, app_token: str) -> str | None:
    """Slack's error for calling `method` with this token; None when the token is the right one."""
    if not token:
        return "not_authed"
    if token == (app_token if method in APP_TOKEN_METHODS else bot_token):
        return None
    return "not_allowed_token_type" if token in (bot_token, app_token) else "invalid_auth"


class _Server(ThreadingHTTPServer):
    """Keeps each connection open for the next call, as Slack does, and closes them all when it
    stops listening, so that a stand-in refusing connections answers no call at all."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.open_connections: set[socket.socket] = set()
        self.accepted = 0
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self.open_connections.add(request)
            self.accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections, self.open_connections = self.open_connections, set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the caller hung up first

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A connection closed under a call (the stand-in stopped listening, the caller gave up)
        # is how such a call ends, not a failure of the stand-in.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


@dataclass
class Hold:
    """A call taken by the stand-in and not answered yet: `taken` once it is, then `release()`."""

    taken: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.answered.set()


class SlackStandIn:
    """Slack's Web API at `url`, recording every call in `calls`; use `with SlackStandIn()`."""

    def __init__(
        self,
        *,
        token: str = "xoxb-fake-bot-token",
        app_token: str = "xapp-1-A0BATON-1-fake",
        team_id: str = "T0FAKE",
        bot_user_id: str = "U0BATON",
        check_call: CallCheck | None = None,
    ) -> None:
        self.token = token
        self.app_token = app_token
        self.check_call = check_call
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.calls: list[Call] = []
        self.invalid: list[tuple[str, list[str]]] = []
        self.unknown: list[str] = []
        self._failures: dict[str, list[Failure]] = {}
        self._held: dict[str, Hold] = {}
        self._down = False
        self._address: tuple[str, int] | None = None
        self._lock = threading.Lock()
        # Wakes wait_for() as each call is recorded, instead of it polling the transcript.
        self._recorded = threading.Condition(self._lock)
        # One call changes the workspace at a time, as concurrent bot threads would see on Slack.
        self._state_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.workspace: Workspace = Workspace(
            team_id=team_id, bot_user_id=bot_user_id, upload_base=""
        )
        self._socket_mode: SocketModeServer | None = None
        self.workspace.socket_url = lambda: self.socket_mode.issue_url()

    @property
    def root(self) -> str:
        if self._address is None:
            raise RuntimeError("the stand-in is not started; use `with SlackStandIn() as slack:`")
        host, port = self._address
        return f"http://{host}:{port}/"

    @property
    def url(self) -> str:
        """The Web API base URL for WebClient(base_url=...) and SLACK_API_URL."""
        return f"{self.root}api/"

    def start(self) -> SlackStandIn:
        self._listen(self._address or ("127.0.0.1", 0))
        self.workspace.upload_base = f"{self.root}upload/"
        return self

    def _listen(self, address: tuple[str, int]) -> None:
        self._server = _Server(address, make_handler(self))
        host, port = self._server.server_address[:2]
        self._address = (str(host), int(port))
        # A short poll keeps stop() (and so every test's teardown) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True, name="slack-standin"
        )
        self._thread.start()

    @property
    def socket_mode(self) -> SocketModeServer:
        """Slack's Socket Mode end, started on first use; apps.connections.open points there."""
        with self._lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeServer().start()
            return self._socket_mode

    @property
    def connections(self) -> int:
        """How many connections callers opened to it since it last started listening."""
        return self._server.accepted if self._server is not None else 0

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        self._close()

    def _close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Scripting
    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with an HTTP status or a Slack error."""
        status = status or (429 if error == "ratelimited" else 200)
        error = error or {429: "ratelimited"}.get(status, "internal_error")
        with self._lock:
            self._failures.setdefault(method, []).append(Failure(status, error, retry_after, times))

    def down(self) -> None:
        """Refuse every call with 503 until `up()`."""
        self._down = True

    def up(self) -> None:
        self._down = False

    def refuse_connections(self) -> None:
        """Stop listening: every call's connection is refused until `accept_connections()`."""
        self._close()

    def accept_connections(self) -> None:
        """Listen again, at the same address."""
        if self._server is None and self._address is not None:
            self._listen(self._address)

    def hold(self, method: str) -> Hold:
        """Take the next call of `method` (its effect is made) but answer it only once released,
        as Slack does for a caller that dies before it hears the answer."""
        hold = Hold()
        with self._lock:
            self._held[method] = hold
        return hold

    def held(self, method: str) -> Hold | None:
        """The hold the next call of `method` waits at before it is answered, once."""
        with self._lock:
            return self._held.pop(method, None)

    def set_channel(self, channel: str, *, exists: bool = True, archived: bool = False,
                    private: bool = False, member: bool = True) -> None:
        """How a channel stands: deleted, archived, private, without the bot in it."""
        self.workspace.channels[channel] = Channel(exists, archived, private, member)

    def show_modal(self, view: dict[str, Any]) -> str:
        """A modal the person has open (as if the app had opened it, without a call); its id."""
        with self._state_lock:
            return str(self.workspace.views_open({"view": view})["view"]["id"])

    def set_usergroup(self, usergroup: str, users: list[str]) -> None:
        self.workspace.usergroups[usergroup] = list(users)

    def set_members(self, channel: str, users: list[str]) -> None:
        """Who conversations.members lists for a channel; other channels are not found."""
        self.workspace.members[channel] = list(users)

    def set_user(self, user: str, **profile: Any) -> None:
        """Override what users.info answers for one user (name, real_name, tz, ...)."""
        self.workspace.users[user] = profile

    @property
    def uploads(self) -> dict[str, bytes]:
        """Bytes uploaded through files_upload_v2, by file id."""
        return self.workspace.uploads

    # Transcript
    def record(self, call: Call) -> None:
        with self._recorded:
            self.calls.append(call)
            self._recorded.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """The calls to `method` (matching `where`) once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                recorded = len(self.calls)
                calls = [c for c in self.calls if c.method == method]
            found = [c for c in calls if where is None or where(c)]
            if len(found) >= count:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                seen = [c.method for c in self.calls]
                raise AssertionError(
                    f"waited {timeout}s for {count} call(s) to {method}, got {len(found)};"
                    f" calls so far: {seen}"
                )
            with self._recorded:
                if len(self.calls) == recorded:
                    self._recorded.wait(timeout=left)

    def reset(self) -> None:
        """Forget calls, problems and scripted failures (the workspace state stays)."""
        with self._lock:
            self.calls.clear()
            self.invalid.clear()
            self.unknown.clear()
            self._failures.clear()
        self._down = False

    # Answering
    def scripted_failure(self, method: str) -> Failure | None:
        with self._lock:
            queue = self._failures.get(method, [])
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """Slack's JSON answer to one authenticated, non-failing Web API call."""
        handler = self.workspace.handler(method)
        if handler is None:
            with self._lock:
                self.unknown.append(method)
            return {"ok": False, "error": "unknown_method"}
        refused_token = token_error(method, token, bot_token=self.token, app_token=self.app_token)
        if refused_token is not None:
            return {"ok": False, "error": refused_token}
        refused = self.check_call(method, args) if self.check_call else None
        if refused is not None:
            return refused
        problems = validate_call(method, args)
        if problems:
            with self._lock:
                self.invalid.append((method, problems))
            return {
                "ok": False,
                "error": "invalid_blocks",
                "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
            }
        try:
            with self._state_lock:
                return {"ok": True, **handler(args)}
        except SlackError as error:
            return {"ok": False, "error": error.error}
