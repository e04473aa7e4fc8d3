"""A local, recording stand-in of Slack's Web API over real HTTP (point SLACK_API_URL at it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from baton.standin.calls import Call, Failure
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
        self._down = False
        self._lock = threading.Lock()
        # Wakes wait_for() as each call is recorded, instead of it polling the transcript.
        self._recorded = threading.Condition(self._lock)
        # One call changes the workspace at a time, as concurrent bot threads would see on Slack.
        self._state_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.workspace: Workspace = Workspace(
            team_id=team_id, bot_user_id=bot_user_id, upload_base=""
        )
        self._socket_mode: SocketModeServer | None = None
        self.workspace.socket_url = lambda: self.socket_mode.issue_url()

    @property
    def root(self) -> str:
        if self._server is None:
            raise RuntimeError("the stand-in is not started; use `with SlackStandIn() as slack:`")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def url(self) -> str:
        """The Web API base URL for WebClient(base_url=...) and SLACK_API_URL."""
        return f"{self.root}api/"

    def start(self) -> SlackStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        self._server.daemon_threads = True
        self.workspace.upload_base = f"{self.root}upload/"
        # A short poll keeps stop() (and so every test's teardown) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True, name="slack-standin"
        )
        self._thread.start()
        return self

    @property
    def socket_mode(self) -> SocketModeServer:
        """Slack's Socket Mode end, started on first use; apps.connections.open points there."""
        with self._lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeServer().start()
            return self._socket_mode

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
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
