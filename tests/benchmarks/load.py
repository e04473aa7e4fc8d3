"""Firing signed requests at a server, so many at a time, and what their acks took.

Each worker keeps one HTTP/1.1 connection open, as Slack's senders do; the client is a few
lines over asyncio streams, so that on a 2-core machine it costs the servers little.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from baton.standin.signing import sign
from tests.benchmarks.bodies import FORM, Body

SECRET = "benchmark-signing-secret"
SLACK_LIMIT = 3.0  # seconds Slack waits for an ack
EVENTS_PATH = "/slack/events"
Source = Callable[[], Awaitable[Body | None]]


@dataclass
class Run:
    """One burst of requests: each ack's latency, the wall time, and what Slack would drop."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    late: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    """Runs pooled: acks a second, p50 and p99 in milliseconds, requests not acked in time."""

    rate: float
    p50: float
    p99: float
    late: int
    requests: int

    @classmethod
    def of(cls, runs: Sequence[Run]) -> Figures:
        latencies = sorted(t for run in runs for t in run.latencies)
        elapsed, late = sum(run.elapsed for run in runs), sum(len(run.late) for run in runs)
        if not latencies or not elapsed:
            return cls(0.0, 0.0, 0.0, late, len(latencies))
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        return cls(len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000,
                   late, len(latencies))


class Connection:
    """One kept-alive HTTP/1.1 connection posting form bodies to Slack's request URL."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def open(self) -> None:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
        self._streams = None

    async def post(self, body: Body) -> int:
        """POST a body signed as Slack signs it; the status of the answer."""
        await self.open()
        assert self._streams is not None
        reader, writer = self._streams
        headers = {"Host": f"{self.host}:{self.port}", "Content-Type": FORM,
                   "Content-Length": str(len(body)), **sign(body, SECRET)}
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        writer.write(f"POST {EVENTS_PATH} HTTP/1.1\r\n{head}\r\n".encode() + body)
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        fields = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
        await reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            self.close()
        return int(lines[0].split()[1])


async def _send(connection: Connection, body: Body, run: Run) -> None:
    started = time.perf_counter()
    try:
        status = await asyncio.wait_for(connection.post(body), SLACK_LIMIT * 3)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        connection.close()
        run.late.append(f"no answer: {type(error).__name__}")
        return
    latency = time.perf_counter() - started
    run.latencies.append(latency)
    if status != 200:
        run.late.append(f"HTTP {status}")
    elif latency > SLACK_LIMIT:
        run.late.append(f"answered after {latency:.1f}s")


async def fire(base_url: str, source: Source, concurrency: int) -> Run:
    """Send what `source` gives, `concurrency` at a time, until it gives None."""
    run, connections = Run(), [Connection(base_url) for _ in range(concurrency)]
    await asyncio.gather(*(connection.open() for connection in connections))

    async def worker(connection: Connection) -> None:
        while (body := await source()) is not None:
            await _send(connection, body, run)

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker(connection) for connection in connections))
    finally:
        run.elapsed = time.perf_counter() - started
        for connection in connections:
            connection.close()
    return run


def fire_all(base_url: str, bodies: Sequence[Body], concurrency: int) -> Run:
    """Send every body, `concurrency` at a time."""
    pending = iter(bodies)

    async def source() -> Body | None:
        return next(pending, None)

    return asyncio.run(fire(base_url, source, concurrency))
