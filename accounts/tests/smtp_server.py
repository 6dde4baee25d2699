"""A real SMTP server for tests where delivery itself is the subject (aiosmtpd, in a thread).

It keeps what it received, and can answer a recipient with an error a given number of
times: 451 (try again later) or 550 (no such mailbox).
"""

import email
import email.policy
import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    to: str
    subject: str
    message: email.message.EmailMessage


@dataclass
class RecordingHandler:
    received: list[Received] = field(default_factory=list)
    # address -> [reply, times left (None for always)]
    refusals: dict = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rule = self.refusals.get(address.lower())
        if rule is not None and (rule[1] is None or rule[1] > 0):
            if rule[1] is not None:
                rule[1] -= 1
            return rule[0]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for address in envelope.rcpt_tos:
            self.received.append(Received(address.lower(), str(message["subject"]), message))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def to(self, address: str) -> list[Received]:
        """Return the messages this address received."""
        return [r for r in self.received if r.to == address.lower()]

    def refuse(self, address: str, *, reply: str = "451 4.3.0 Try again later", times=1):
        """Answer RCPT TO for `address` with `reply`, `times` times (None: always)."""
        self.handler.refusals[address.lower()] = [reply, times]
