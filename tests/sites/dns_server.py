"""A tiny local DNS server (UDP, dnspython's wire format) for tests: MX answers from a table,
NXDOMAIN for every other name (or for every name: a captive portal or a broken resolver)."""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rcode
import dns.resolver
import dns.rrset


class LocalDns:
    def __init__(self, mx: dict[str, str] | None = None):
        self.mx, self.asked = mx or {}, []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def __enter__(self):
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.sock.close()

    def resolver(self) -> dns.resolver.Resolver:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers, resolver.port = ["127.0.0.1"], self.port
        return resolver

    def _serve(self):
        while True:
            try:
                wire, client = self.sock.recvfrom(4096)
            except OSError:
                return
            query = dns.message.from_wire(wire)
            name = query.question[0].name.to_text().rstrip(".")
            self.asked.append(name)
            response = dns.message.make_response(query)
            if name in self.mx:
                response.answer.append(dns.rrset.from_text(name + ".", 300, "IN", "MX", f"10 {self.mx[name]}."))
            else:
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(response.to_wire(), client)
