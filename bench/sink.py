"""An SMTP sink on loopback that counts what arrives, for the benchmarks.

A minimal SMTP server on asyncio's protocols (faster than aiosmtpd, so that the
sink is not what the notice benchmark measures): it accepts every message and
remembers, per recipient, how many messages arrived and when the last did. A
line protocol on a second port answers `STATS <prefix>` with JSON about the
recipients that start with the prefix.

    python -m bench.sink --port 2525 --control-port 2526
"""

import argparse
import asyncio
import json
import signal
import time

# recipient: [messages received, time.time() of the last]
RECEIVED = {}


class SmtpSession(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        self.recipients = []
        transport.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while self.buffer:
            if self.in_data:
                # The data began right after the DATA line's CRLF, kept at its start.
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                self.buffer = self.buffer[end + 5 :]
                self.in_data = False
                now = time.time()
                for recipient in self.recipients:
                    entry = RECEIVED.setdefault(recipient, [0, 0.0])
                    entry[0] += 1
                    entry[1] = now
                self.recipients = []
                self.transport.write(b"250 2.0.0 Accepted\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            self.command(line)

    def command(self, line):
        verb = line[:4].upper()
        if verb == b"EHLO":
            self.transport.write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb in (b"HELO", b"NOOP"):
            self.transport.write(b"250 OK\r\n")
        elif verb in (b"MAIL", b"RSET"):
            self.recipients = []
            self.transport.write(b"250 OK\r\n")
        elif verb == b"RCPT":
            address = line.partition(b"<")[2].partition(b">")[0]
            self.recipients.append(address.decode("utf-8", "replace").lower())
            self.transport.write(b"250 OK\r\n")
        elif verb == b"DATA":
            self.in_data = True
            self.buffer = b"\r\n" + self.buffer
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 Bye\r\n")
            self.transport.close()
        else:
            self.transport.write(b"502 Not implemented\r\n")


def stats(prefix):
    counts = [entry for recipient, entry in RECEIVED.items() if recipient.startswith(prefix)]
    return {
        "messages": sum(count for count, _ in counts),
        "recipients": len(counts),
        "duplicates": sum(count - 1 for count, _ in counts if count > 1),
        "last_at": max((at for _, at in counts), default=None),
    }


async def control(reader, writer):
    while line := await reader.readline():
        verb, _, argument = line.decode().strip().partition(" ")
        if verb == "STATS":
            answer = stats(argument.lower())
        else:
            answer = {"error": f"unknown command {verb!r}"}
        writer.write(json.dumps(answer).encode() + b"\n")
        await writer.drain()
    writer.close()


async def main(port, control_port):
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(SmtpSession, "127.0.0.1", port, backlog=1024)
    control_server = await asyncio.start_server(control, "127.0.0.1", control_port)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"listening on 127.0.0.1:{port}, control on {control_port}", flush=True)
    await stop.wait()
    smtp.close()
    control_server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.port, arguments.control_port))
