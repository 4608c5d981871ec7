"""An SMTP sink on loopback: the mail server of the tests and of the benchmarks.

A small SMTP server on asyncio's protocols (fast enough that the notice
benchmark measures the portal, not the sink). It accepts every message unless
told to refuse the next ones or to think a while before answering, and
remembers per recipient how many messages arrived and when the last did.

In a test it runs in a thread of the test's process and keeps the messages
(`SmtpSink().start()`). For the benchmarks it runs as a process that only
counts, and a line protocol on a second port answers `STATS <prefix>` with
JSON about the recipients that start with the prefix:

    python -m tests.loopback.smtp --port 2525 --control-port 2526
"""

import argparse
import asyncio
import email
import json
import signal
import threading
import time

from tests.loopback.processes import free_port


class Mailbox:
    """What arrived, and how the sink is told to behave. Safe to use from any thread."""

    def __init__(self, keep_messages=True):
        self.keep_messages = keep_messages
        self.lock = threading.Lock()
        self.messages = []  # {"to": [...], "message": email.message.Message, "peer": (host, port)}
        self.counts = {}  # recipient, lower case: [messages received, time.time() of the last]
        # Replies to give instead of accepting, one per message, e.g. "451 try later".
        self.refusals = []
        # Seconds to think before answering DATA, as a busy server does.
        self.hold = 0.0
        self.holding = 0  # messages being thought about right now

    def receive(self, recipients, content, peer):
        """The reply to a message's DATA; the message is kept unless refused."""
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            now = time.time()
            for recipient in recipients:
                entry = self.counts.setdefault(recipient.lower(), [0, 0.0])
                entry[0] += 1
                entry[1] = now
            if self.keep_messages:
                message = email.message_from_bytes(content)
                self.messages.append({"to": list(recipients), "message": message, "peer": peer})
        return "250 Message accepted for delivery"

    def stats(self, prefix):
        prefix = prefix.lower()
        with self.lock:
            counts = [entry for name, entry in self.counts.items() if name.startswith(prefix)]
        return {
            "messages": sum(count for count, _ in counts),
            "recipients": len(counts),
            "duplicates": sum(count - 1 for count, _ in counts if count > 1),
            "last_at": max((at for _, at in counts), default=None),
        }


class SmtpSession(asyncio.Protocol):
    """One client's connection: EHLO, MAIL, RCPT, DATA, QUIT and little else."""

    def __init__(self, mailbox, sessions):
        self.mailbox = mailbox
        self.sessions = sessions

    def connection_made(self, transport):
        self.transport = transport
        self.peer = transport.get_extra_info("peername")
        self.buffer = b""
        self.in_data = False
        self.thinking = False
        self.recipients = []
        self.sessions.add(self)
        transport.write(b"220 stepchange-sink ESMTP\r\n")

    def connection_lost(self, exc):
        self.sessions.discard(self)

    def data_received(self, data):
        self.buffer += data
        self.process()

    def process(self):
        while self.buffer and not self.thinking and not self.transport.is_closing():
            if self.in_data:
                # The data began right after the DATA line's CRLF, kept at its start.
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                content = _unstuff(self.buffer[2:end] + b"\r\n")
                self.buffer = self.buffer[end + 5 :]
                self.in_data = False
                self.message_received(content)
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            self.command(line)

    def message_received(self, content):
        recipients, self.recipients = self.recipients, []
        if not self.mailbox.hold:
            self.reply(self.mailbox.receive(recipients, content, self.peer))
            return
        self.thinking = True
        self.mailbox.holding += 1
        loop = asyncio.get_running_loop()
        loop.call_later(self.mailbox.hold, self.thought, recipients, content)

    def thought(self, recipients, content):
        self.mailbox.holding -= 1
        self.thinking = False
        # A client that went away while we thought never learns the message was
        # accepted, so a careful server does not deliver it.
        if self.transport.is_closing():
            return
        self.reply(self.mailbox.receive(recipients, content, self.peer))
        self.process()

    def reply(self, text):
        self.transport.write(text.encode() + b"\r\n")

    def command(self, line):
        verb = line[:4].upper()
        if verb == b"EHLO":
            self.transport.write(b"250-stepchange-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb in (b"HELO", b"NOOP"):
            self.reply("250 OK")
        elif verb in (b"MAIL", b"RSET"):
            self.recipients = []
            self.reply("250 OK")
        elif verb == b"RCPT":
            address = line.partition(b"<")[2].partition(b">")[0]
            self.recipients.append(address.decode("utf-8", "replace"))
            self.reply("250 OK")
        elif verb == b"DATA":
            self.in_data = True
            self.buffer = b"\r\n" + self.buffer
            self.reply("354 End data with <CR><LF>.<CR><LF>")
        elif verb == b"QUIT":
            self.reply("221 Bye")
            self.transport.close()
        else:
            self.reply("502 Not implemented")


def _unstuff(content):
    """Undo SMTP's dot-stuffing: a line that began with a dot was sent with two."""
    if content.startswith(b".."):
        content = content[1:]
    return content.replace(b"\r\n..", b"\r\n.")


class SmtpSink:
    """The sink in a thread of this process; stop() and start() again keep its port and mail."""

    def __init__(self, keep_messages=True):
        self.handler = Mailbox(keep_messages)
        self.port = free_port()
        self._loop = None
        self._thread = None
        self._server = None
        self._sessions = set()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def refuse_next(self, *replies):
        with self.handler.lock:
            self.handler.refusals.extend(replies)

    def start(self):
        """Listen (again) on the sink's port; what arrived before is kept."""
        # The loop lives wholly in its own thread: the test's thread may already
        # be running one (playwright's sync API leaves its loop running there).
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        failed = []

        def serve():
            asyncio.set_event_loop(self._loop)
            try:
                self._server = self._loop.run_until_complete(
                    self._loop.create_server(
                        lambda: SmtpSession(self.handler, self._sessions), "127.0.0.1", self.port
                    )
                )
            except OSError as error:
                failed.append(error)
                ready.set()
                self._loop.close()
                return
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._server.wait_closed())
            self._loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(timeout=10)
        if failed:
            self._loop = self._thread = None
            raise failed[0]
        return self

    def stop(self):
        """Close the port and every open connection, as a mail server going down does."""
        if self._loop is None:
            return

        def close():
            self._server.close()
            for session in list(self._sessions):
                session.transport.abort()
            self._loop.stop()

        self._loop.call_soon_threadsafe(close)
        self._thread.join(timeout=10)
        self._loop = self._thread = self._server = None

    def recipients(self):
        return sorted(address for item in self.messages for address in item["to"])

    def connections(self):
        """How many connections the messages arrived over."""
        return len({item["peer"] for item in self.messages})

    def message_ids(self):
        return [item["message"]["Message-ID"] for item in self.messages]

    def stats(self, prefix):
        return self.handler.stats(prefix)


async def _serve(port, control_port):
    mailbox = Mailbox(keep_messages=False)
    loop = asyncio.get_running_loop()
    sessions = set()
    smtp = await loop.create_server(
        lambda: SmtpSession(mailbox, sessions), "127.0.0.1", port, backlog=1024
    )

    async def control(reader, writer):
        while line := await reader.readline():
            verb, _, argument = line.decode().strip().partition(" ")
            answer = mailbox.stats(argument) if verb == "STATS" else {"error": f"unknown {verb!r}"}
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
        writer.close()

    control_server = await asyncio.start_server(control, "127.0.0.1", control_port)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"listening on 127.0.0.1:{port}, control on {control_port}", flush=True)
    await stop.wait()
    smtp.close()
    control_server.close()


def ask_stats(control_port, prefix):
    """STATS of a sink process, from its control port."""
    import socket

    with socket.create_connection(("127.0.0.1", control_port), timeout=10) as sock:
        sock.sendall(f"STATS {prefix}\n".encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    arguments = parser.parse_args()
    asyncio.run(_serve(arguments.port, arguments.control_port))
