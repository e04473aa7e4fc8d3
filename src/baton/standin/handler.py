"""The HTTP side of the stand-in: Web API calls, file uploads and response_url posts."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from baton.standin.calls import Call, decode_args
from baton.standin.validation import validate_call

if TYPE_CHECKING:
    from baton.standin.server import SlackStandIn


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        parsed = json.loads(body.decode("utf-8"))
        return parsed if isinstance(parsed, dict) else {"_body": parsed}
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def make_handler(fake: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one stand-in."""

    class Handler(BaseHTTPRequestHandler):
        # Connections stay open for the next call, as Slack's do; every answer has its length.
        protocol_version = "HTTP/1.1"
        # The body goes out right behind the headers: with Nagle's algorithm it would wait for
        # the caller's delayed ACK of them, 40 ms on a kept-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keep test output quiet; the transcript is the log."""

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            if fake._down:
                return self._reply(503, {"ok": False, "error": "service_unavailable"})
            kind, _, rest = parts.path.lstrip("/").partition("/")
            if kind == "upload":
                return self._upload(rest, body, headers)
            if kind == "response_url":
                return self._response_url(rest, body, headers)
            if kind != "api":
                return self._reply(404, None, text=f"The Slack stand-in serves no {parts.path}")
            args = dict(parse_qsl(parts.query, keep_blank_values=True))
            try:
                args.update(_parse_body(headers.get("content-type", ""), body))
            except (json.JSONDecodeError, UnicodeDecodeError):
                return self._reply(200, {"ok": False, "error": "invalid_json"})
            self._api(rest, decode_args(args), headers)

        def _api(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> None:
            auth = headers.get("authorization", "")
            token = auth.removeprefix("Bearer ").strip() if auth else args.get("token")
            failure = fake.scripted_failure(method)
            status, extra = 200, {}
            if failure is not None:
                status, answer = failure.status, {"ok": False, "error": failure.error}
                if status == 429:
                    extra = {"Retry-After": str(failure.retry_after)}
            else:
                answer = fake.answer(method, args, token)
            hold = fake.held(method)
            if hold is not None:
                hold.taken.set()
                hold.answered.wait(timeout=60)
            fake.record(Call(method, args, headers, time.time(), status, answer))
            self._reply(status, answer, extra)

        def _upload(self, file_id: str, body: bytes, headers: dict[str, str]) -> None:
            known = file_id in fake.workspace.files
            if known:
                fake.workspace.uploads[file_id] = body
            status = 200 if known else 404
            fake.record(
                Call(
                    "upload",
                    {"file_id": file_id, "length": len(body)},
                    headers,
                    time.time(),
                    status,
                )
            )
            self._reply(status, None, text=f"OK - {len(body)}" if known else "Not found")

        def _response_url(self, hook: str, body: bytes, headers: dict[str, str]) -> None:
            try:
                args = decode_args(_parse_body(headers.get("content-type", ""), body))
            except (json.JSONDecodeError, UnicodeDecodeError):
                args = {"_raw": body.decode("utf-8", "replace")}
            args["response_url_id"] = hook
            problems = validate_call("response_url", args)
            if problems:
                with fake._lock:
                    fake.invalid.append(("response_url", problems))
            status = 400 if problems else 200
            fake.record(Call("response_url", args, headers, time.time(), status))
            self._reply(status, None, text="invalid_blocks" if problems else "ok")

        def _reply(
            self,
            status: int,
            answer: dict[str, Any] | None,
            extra: dict[str, str] | None = None,
            text: str = "",
        ) -> None:
            payload = json.dumps(answer).encode() if answer is not None else text.encode()
            kind = "application/json; charset=utf-8" if answer is not None else "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler
