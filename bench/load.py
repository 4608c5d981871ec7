"""A load generator: an HTTP/1.1 keep-alive client on asyncio streams, in its own process.

It reads a JSON plan on stdin and writes a JSON summary on stdout, so that the
process that runs it (bench/run.py) shares no interpreter with it:

    {"host": "127.0.0.1", "port": 8000, "concurrency": 8,
     "duration": 8, "max_requests": 20000, "warmup": 1,
     "requests": [{"method": "GET", "path": "/", "headers": {}, "body": "",
                   "source": "127.0.0.1"}],
     "repeat": true, "keep_results": false}

`concurrency` clients share the requests: with `repeat` each client sends one
request again and again (client n the n-th of the list, modulo its length, so
that each client may have a session of its own); without it each request of the list
is sent once. The run stops after `duration` seconds of measuring (after
`warmup` seconds whose answers are not counted) or `max_requests` measured
requests, whichever comes first. A client keeps its connection open while the
server does (gunicorn's sync workers close it after each answer, so those
clients reconnect, and the time to connect counts in the latency). A request
with a `source` address is sent from that loopback address.
"""

import asyncio
import contextlib
import json
import sys
import time


class Client:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None
        self.source = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, raw, source=None):
        """Send one request (bytes) and return (status, headers, body)."""
        if self.writer is not None and source != self.source:
            await self.close()
        if self.writer is None:
            local = (source, 0) if source else None
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port, local_addr=local
            )
            self.source = source
        self.writer.write(raw)
        status, headers, body = await self.read_response()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body

    async def read_response(self):
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection without answering")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self.read_chunked()
        else:
            body = await self.reader.read()  # until the server closes
            headers["connection"] = "close"
        return status, headers, body

    async def read_chunked(self):
        parts = []
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await self.reader.readline()) not in (b"\r\n", b""):
                    pass
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def encode(request, host, port):
    body = request.get("body", "").encode()
    headers = {
        "Host": f"{host}:{port}",
        "User-Agent": "stepchange-bench",
        "Accept": "text/html",
        **request.get("headers", {}),
    }
    if body or request["method"] == "POST":
        headers["Content-Length"] = str(len(body))
    lines = [f"{request['method']} {request['path']} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run(plan):
    host, port = plan["host"], plan["port"]
    requests = plan["requests"]
    encoded = [encode(request, host, port) for request in requests]
    repeat = plan.get("repeat", False)
    keep = plan.get("keep_results", False)
    warmup = plan.get("warmup", 0)
    max_requests = plan.get("max_requests") or 10**9
    pending = iter(range(len(requests)))
    latencies, statuses, results, errors = [], {}, [], []
    started = time.monotonic()
    measure_from = started + warmup
    deadline = measure_from + plan["duration"]
    measured_first = measured_last = None

    async def worker(number):
        nonlocal measured_first, measured_last
        client = Client(host, port)
        try:
            while True:
                if len(latencies) + len(errors) >= max_requests:
                    return
                now = time.monotonic()
                if now >= deadline:
                    return
                index = number % len(requests) if repeat else next(pending, None)
                if index is None:
                    return
                source = requests[index].get("source")
                began = time.monotonic()
                try:
                    status, headers, _ = await client.request(encoded[index], source)
                except (OSError, ValueError, asyncio.IncompleteReadError) as problem:
                    await client.close()
                    status, headers = None, {}
                    error = f"{type(problem).__name__}: {problem}"
                else:
                    error = None
                ended = time.monotonic()
                if began < measure_from and repeat:
                    continue  # warming up: pages enter the cache, connections open
                if measured_first is None:
                    measured_first = began
                measured_last = ended
                if error:
                    errors.append(error)
                else:
                    latencies.append(ended - began)
                    statuses[status] = statuses.get(status, 0) + 1
                if keep:
                    results.append(
                        {
                            "index": index,
                            "status": status,
                            "location": headers.get("location", ""),
                            "error": error,
                        }
                    )
        finally:
            await client.close()

    await asyncio.gather(*(worker(number) for number in range(plan["concurrency"])))
    elapsed = (measured_last - measured_first) if measured_first is not None else 0.0
    done = len(latencies) + len(errors)
    return {
        "requests": done,
        "elapsed": elapsed,
        "rps": done / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "errors": len(errors),
        "first_errors": errors[:5],
        "results": results,
    }


if __name__ == "__main__":
    summary = asyncio.run(run(json.load(sys.stdin)))
    json.dump(summary, sys.stdout)
