"""A real SMTP server on loopback that records what arrives (aiosmtpd)."""

import asyncio
import email
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        # Replies to give instead of accepting, one per message, e.g. "451 try later".
        self.refusals = []
        # Seconds to think before answering DATA, as a busy server does.
        self.hold = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.hold:
            await asyncio.sleep(self.hold)
            # A client that went away while we thought never learns the message
            # was accepted, so a careful server does not deliver it.
            if server.transport is None or server.transport.is_closing():
                return "421 Client gone"
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            self.messages.append(
                {
                    "to": list(envelope.rcpt_tos),
                    "message": email.message_from_bytes(envelope.content),
                    # The client's address and port: one per connection.
                    "peer": session.peer,
                }
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = None

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
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def recipients(self):
        return sorted(address for item in self.messages for address in item["to"])

    def connections(self):
        """How many connections the messages arrived over."""
        return len({item["peer"] for item in self.messages})

    def message_ids(self):
        return [item["message"]["Message-ID"] for item in self.messages]
