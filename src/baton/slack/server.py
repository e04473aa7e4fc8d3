"""HTTP mode: Slack's requests at POST /slack/events and a health check at GET /healthz."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import uvicorn
from slack_bolt import App, BoltRequest, BoltResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def create_asgi(app: App, engine: sa.Engine) -> Starlette:
    """An ASGI app that hands Slack's requests to the Bolt app off the event loop."""

    async def events(request: Request) -> Response:
        bolt_request = await to_bolt_request(request)
        # App.dispatch is synchronous and waits for the ack; a worker thread keeps the loop free.
        bolt_response = await run_in_threadpool(app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(_: Request) -> Response:
        if await run_in_threadpool(database_answers, engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
        ]
    )


async def to_bolt_request(request: Request) -> BoltRequest:
    """The raw body, query and every header value, as Bolt verifies and parses them."""
    body = (await request.body()).decode("utf-8")
    headers = {key: request.headers.getlist(key) for key in request.headers}
    return BoltRequest(body=body, query=request.url.query, headers=headers)


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


@contextmanager
def serving_locally(asgi: Starlette) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a background thread; yield its base URL."""
    server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=0, log_level="warning"))
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


def serve(app: App, engine: sa.Engine, port: int) -> None:
    """Serve Slack's requests over HTTP on every interface until stopped."""
    # uvicorn.run() would turn a stop signal that lands while the server is still starting into
    # exit status 3 ("startup failure"); a stop is a stop. A port already taken still exits 1.
    config = uvicorn.Config(create_asgi(app, engine), host="0.0.0.0", port=port, log_level="info")
    uvicorn.Server(config).run()
