"""HTTP mode: Slack's requests at POST /slack/events and a health check at GET /healthz."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

import sqlalchemy as sa
import uvicorn
from slack_bolt import App, BoltRequest, BoltResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from baton.slack import acks, inbound
from baton.slack.metrics import Metrics

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# How a checked request becomes Bolt's answer to it, off the event loop.
Answering = Callable[[App, BoltRequest], Awaitable[BoltResponse]]


async def acknowledged(app: App, request: BoltRequest) -> BoltResponse:
    """Bolt's answer as soon as the listener acks. A command, click or submission is matched
    here, and acked here if its listener is deferred (acks.dispatch_here); any other listener
    goes on in a request thread of its own."""
    loop = asyncio.get_running_loop()
    here = threading.get_ident()
    answered: asyncio.Future[BoltResponse] = loop.create_future()

    def settle(response: BoltResponse) -> None:
        if not answered.done():
            answered.set_result(response)

    def answer(response: BoltResponse) -> None:
        if threading.get_ident() == here:
            settle(response)
        else:
            loop.call_soon_threadsafe(settle, response)

    if acks.may_ack_here(request.body):
        acks.dispatch_here(app, request, answer)
    else:
        acks.dispatch(app, request, answer)
    return await answered


def create_asgi(app: App, engine: sa.Engine, *, signing_secret: str,
                answering: Answering = acknowledged, metrics: Metrics | None = None) -> Starlette:
    """An ASGI app that checks Slack's requests, then hands them to the Bolt app off the loop;
    its health check, and its figures for Prometheus."""
    metrics = metrics or Metrics()

    async def events(request: Request) -> Response:
        started = time.perf_counter()
        checked = checked_request(await request.body(), request, signing_secret)
        if isinstance(checked, Response):
            return checked
        answer = await answering(app, checked)
        metrics.acked(checked.body, time.perf_counter() - started)
        return to_starlette_response(answer)

    async def scrape(request: Request) -> Response:
        body, content_type = await run_in_threadpool(metrics.scrape,
                                                     request.headers.get("accept", ""))
        return Response(body, headers={"Content-Type": content_type})

    async def healthz(_: Request) -> Response:
        if await run_in_threadpool(database_answers, engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
            Route(METRICS_PATH, scrape, methods=["GET"]),
        ]
    )


def checked_request(body: bytes, request: Request, secret: str) -> BoltRequest | Response:
    """The request as Bolt reads it, or a refusal: 401 unless Slack signed it, 400 if malformed."""
    unsigned = inbound.unsigned_reason(
        body, request.headers.get("x-slack-request-timestamp"),
        request.headers.get("x-slack-signature"), secret=secret, now=time.time())
    if unsigned is not None:
        return refused(401, f"not signed by Slack: {unsigned}", len(body))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return refused(400, "signed, but the body is not UTF-8", len(body))
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    try:
        parsed = inbound.read_body(text, content_type)
    except inbound.Malformed as malformed:
        return refused(400, f"signed, but {malformed}", len(body))
    headers: dict[str, str | Sequence[str]] = {
        key: request.headers.getlist(key) for key in request.headers}
    # Bolt takes any form body containing the text "payload" for an interactive payload, so
    # `/qualify Payload Systems` would reach no listener: it gets the body as read above, as
    # JSON, which it reads as it is. Its own signature check is off (build_app), since these
    # are no longer the bytes Slack signed; they were checked above.
    headers["content-type"] = ["application/json"]
    try:
        return BoltRequest(body=json.dumps(parsed), query=request.url.query, headers=headers)
    except (LookupError, TypeError, AttributeError, ValueError) as error:
        # A signed payload whose fields have the wrong types (a user that is a number, ...).
        return refused(400, f"signed, but Bolt cannot read it ({type(error).__name__})", len(body))


def refused(status: int, reason: str, size: int) -> Response:
    """One log line, no traceback, and Slack's answer to a request Baton will not handle."""
    logger.warning("Refused a %d-byte request to %s: %s", size, EVENTS_PATH, reason)
    error = "invalid request" if status == 401 else "malformed request"
    return JSONResponse({"error": error}, status_code=status)


def to_starlette_response(bolt_response: BoltResponse) -> Response:
    """Status, headers and body of Bolt's answer, unchanged."""
    response = Response(content=bolt_response.body, status_code=bolt_response.status)
    for key, values in bolt_response.headers.items():
        for value in values:
            response.headers.append(key, value)
    return response


def database_answers(engine: sa.Engine) -> bool:
    """True when the database runs `SELECT 1`."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False
    return True


def server_config(asgi: Starlette, host: str, port: int, *, access_log: bool = False,
                  log_level: str = "info", own_logging: bool = False) -> uvicorn.Config:
    """uvicorn as Baton runs it: httptools parsing HTTP, no WebSocket server (Slack never opens
    one to Baton, and its library would stay in memory), one log line per request only if asked;
    with `own_logging`, its records go to the handlers Baton configured (text or JSON)."""
    return uvicorn.Config(asgi, host=host, port=port, http="httptools", ws="none",
                          access_log=access_log, log_level=log_level,
                          log_config=None if own_logging else uvicorn.config.LOGGING_CONFIG)


@contextmanager
def serving_locally(asgi: Starlette) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a background thread; yield its base URL."""
    server = uvicorn.Server(server_config(asgi, "127.0.0.1", 0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True, name="baton-http")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("Baton's HTTP endpoint did not start within 10 seconds")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve(app: App, engine: sa.Engine, port: int, *, signing_secret: str,
          access_log: bool = False, answering: Answering = acknowledged,
          metrics: Metrics | None = None) -> None:
    """Serve Slack's requests over HTTP on every interface until stopped."""
    # uvicorn.run() would turn a stop signal that lands while the server is still starting into
    # exit status 3 ("startup failure"); a stop is a stop. A port already taken still exits 1.
    asgi = create_asgi(app, engine, signing_secret=signing_secret, answering=answering,
                       metrics=metrics)
    server = uvicorn.Server(server_config(asgi, "0.0.0.0", port, access_log=access_log,
                                          own_logging=True))
    with _stops_deferred(server):
        server.run()


@contextmanager
def _stops_deferred(server: uvicorn.Server) -> Iterator[None]:
    """Until `server` ends, SIGINT and SIGTERM ask it to exit; then they act as they did before.

    Raised as KeyboardInterrupt while asyncio is still building uvicorn's event loop, a stop
    would leave that loop half made, and a traceback on stderr when it is collected.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        signal.raise_signal(received[0])
