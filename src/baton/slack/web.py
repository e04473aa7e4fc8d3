"""Slack's Web API over kept-alive connections: slack_sdk's WebClient, whose urllib opens a new
connection (and, on https, a new TLS session) for every call, sending through a urllib3 pool.

Everything else is slack_sdk's own: arguments, retry handlers, errors. Failures are raised as
urllib raises them (URLError for a connection refused or dropped, TimeoutError for a timeout,
HTTPError for a status other than 2xx), so the retry handlers and Baton read them as before.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

from baton.slack.failures import error_code

# Connections kept open to Slack per client: the listeners working at once, and some spare.
KEPT_CONNECTIONS = 32
# Called with the Web API method and what went wrong (Slack's error code, or the exception's
# name) for every call that failed, retries included.
OnFailure = Callable[[str, str], None]


def _headers(source: urllib3.HTTPHeaderDict) -> http.client.HTTPMessage:
    """urllib3's headers as urllib gives them (case-insensitive, with the charset helpers)."""
    message = http.client.HTTPMessage()
    for name, value in source.items():
        message[name] = value
    return message


class PooledWebClient(WebClient):
    """A WebClient whose calls reuse connections from one thread-safe urllib3 pool."""

    def __init__(self, *args: Any, on_failure: OnFailure | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_failure = on_failure
        options: dict[str, Any] = {"maxsize": KEPT_CONNECTIONS, "retries": False}
        if self.ssl is not None:
            options["ssl_context"] = self.ssl
        if self.proxy:
            self.pool: urllib3.PoolManager = urllib3.ProxyManager(self.proxy, **options)
        else:
            self.pool = urllib3.PoolManager(**options)

    def forget_connections(self) -> None:
        """Drop the kept connections without a word to Slack: in a forked process, they are
        the parent's."""
        self.pool.clear()

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> SlackResponse:
        try:
            return super().api_call(api_method, *args, **kwargs)
        except SlackApiError as error:
            self._failed(api_method, error_code(error))
            raise
        except (SlackClientError, OSError) as error:
            self._failed(api_method, type(error).__name__)
            raise

    def _failed(self, method: str, what: str) -> None:
        if self.on_failure is not None:
            self.on_failure(method, what)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if not url.lower().startswith(("http://", "https://")):
            return super()._perform_urllib_http_request_internal(url, req)
        try:
            # slack_sdk builds every body as bytes.
            body = req.data if isinstance(req.data, bytes) else None
            answer = self.pool.request(
                "POST", url, body=body, headers=dict(req.header_items()),
                timeout=self.timeout, retries=False, redirect=False)
        except urllib3.exceptions.ReadTimeoutError as error:
            raise TimeoutError(str(error)) from error
        except urllib3.exceptions.HTTPError as error:
            # Refused, reset, dropped, or no answer to the connection: as urllib says it.
            raise URLError(error) from error
        headers = _headers(answer.headers)
        if not 200 <= answer.status < 300:
            raise HTTPError(url, answer.status, answer.reason or "", headers,
                            io.BytesIO(answer.data))
        if headers.get_content_type() == "application/gzip":
            return {"status": answer.status, "headers": headers, "body": answer.data}
        charset = headers.get_content_charset() or "utf-8"
        return {"status": answer.status, "headers": headers, "body": answer.data.decode(charset)}
