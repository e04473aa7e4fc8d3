"""How fast a running Baton acknowledges signed `/qualify help` requests.

Usage: python -m tests.slack.bench_ack URL SIGNING_SECRET [--requests N] [--concurrency C]
Prints acks per second and p50/p99 latency; every request must be answered 200.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from urllib.parse import urlencode

import httpx

from baton.standin.payloads import Who, slash_command
from baton.standin.signing import sign


async def one_ack(client: httpx.AsyncClient, url: str, secret: str, n: int) -> float:
    """Send one signed /qualify help; return its latency in seconds."""
    fields = slash_command(Who(), "/qualify", "help", "C0BDRS", "https://hooks.slack.com/x", f"{n}")
    body = urlencode(fields).encode()
    headers = {**sign(body, secret), "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    response = await client.post(url, content=body, headers=headers)
    latency = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"request {n} answered {response.status_code}: {response.text[:200]}")
    return latency


async def bench(url: str, secret: str, requests: int, concurrency: int) -> None:
    """Fire `requests` requests, `concurrency` at a time, and print the figures."""
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def gated(n: int) -> float:
            async with gate:
                return await one_ack(client, url.rstrip("/") + "/slack/events", secret, n)

        started = time.perf_counter()
        latencies = sorted(await asyncio.gather(*(gated(n) for n in range(requests))))
        elapsed = time.perf_counter() - started

    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"{requests} acks in {elapsed:.2f}s: {requests / elapsed:.0f} acks/s, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="Baton's base URL, e.g. http://127.0.0.1:3000")
    parser.add_argument("secret", help="the SLACK_SIGNING_SECRET Baton runs with")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(bench(args.url, args.secret, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
