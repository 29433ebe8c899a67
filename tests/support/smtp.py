"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, for tests."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ReceivedMail:
    envelope_from: str
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def to(self) -> str:
        return str(self.message["To"])

    def text(self) -> str:
        """Return the plain-text part, decoded."""
        for part in self.message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        return ""

    def html(self) -> str:
        """Return the HTML part, decoded, or an empty string."""
        for part in self.message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        return ""


@dataclass
class MailSink:
    """Collects every message the SMTP server accepts."""

    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # A slow mail server, for tests that need deliveries to overlap in time.
    delay_seconds: float = 0.0
    # An unhappy mail server: answer this reply (e.g. "421 ...", "451 ...") to every message's
    # DATA instead of accepting it; None accepts.
    refuse_reply: str | None = None
    # Recipients refused at RCPT TO with the given reply (e.g. "550 5.1.1 no such user").
    refused_recipients: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self,
        server: object,
        session: object,
        envelope: object,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self.refused_recipients.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.refuse_reply is not None:
            return self.refuse_reply
        content = envelope.content  # type: ignore[attr-defined]
        data = content if isinstance(content, bytes) else content.encode()
        received = ReceivedMail(
            envelope_from=str(envelope.mail_from),  # type: ignore[attr-defined]
            recipients=list(envelope.rcpt_tos),  # type: ignore[attr-defined]
            message=email.message_from_bytes(data),
        )
        with self.lock:
            self.messages.append(received)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
        self.delay_seconds = 0.0
        self.refuse_reply = None
        self.refused_recipients = {}

    def to(self, address: str) -> list[ReceivedMail]:
        """Return the messages addressed to one recipient."""
        with self.lock:
            return [m for m in self.messages if address in m.recipients]


class SMTPServer:
    """An aiosmtpd server on a free localhost port; stop it to have connections refused."""

    def __init__(self) -> None:
        self.sink = MailSink()
        self.port = free_port()
        self.controller = self._controller()

    def _controller(self) -> Controller:
        return Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def restart(self) -> None:
        """Listen again on the same port, with the same sink, after `stop()`."""
        self.controller = self._controller()
        self.controller.start()
