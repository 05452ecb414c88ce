"""The real Probe: the network questions site-level checks ask (AAAA records, single GETs),
answered through the project's one outbound HTTP path, gongkai.net.fetch."""

from __future__ import annotations

import socket

from gongkai.inspect.config import InspectConfig
from gongkai.inspect.site import LinkStatus


class NetProbe:
    """The real Probe: AAAA lookups and single GETs through gongkai.net.fetch, with every
    parameter passed explicitly (no Django setting is read)."""

    def __init__(self, config: InspectConfig) -> None:
        self.timeout = config.timeout
        self.allow_private = config.allow_private
        self.max_bytes = config.max_bytes
        self.nameserver = config.nameserver

    def has_aaaa(self, host: str) -> bool | None:
        if self.nameserver:
            return query_aaaa(host, self.nameserver, timeout=min(self.timeout, 5.0))
        try:
            infos = socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return False
            return None
        except (OSError, UnicodeError):
            return None
        return bool(infos)

    def get(self, url: str) -> LinkStatus:
        return self._get(url)[0]

    def get_text(self, url: str) -> tuple[LinkStatus, str]:
        return self._get(url)

    def post_text(self, url: str, data: dict[str, str]) -> tuple[LinkStatus, str]:
        return self._get(url, data=data)

    def _get(self, url: str, data: dict[str, str] | None = None) -> tuple[LinkStatus, str]:
        from gongkai.net import FetchError, fetch

        try:
            result = fetch(
                url,
                method="POST" if data is not None else "GET",
                data=data,
                timeout=self.timeout,
                max_bytes=self.max_bytes,
                allow_private=self.allow_private,
            )
        except FetchError as exc:
            return LinkStatus(url, None, error=str(exc), internal=False), ""
        status = LinkStatus(url, result.status, final_url=result.url, title=result.title)
        return status, result.text


def query_aaaa(host: str, nameserver: str, *, timeout: float = 5.0) -> bool | None:
    """Ask one DNS server (UDP, port 53 or "addr:port") whether `host` has an AAAA record.
    A minimal client so a configured resolver needs no extra dependency. True/False from
    the answer, None when the server did not answer usably."""
    import random
    import struct

    server, port = nameserver, 53
    if nameserver.count(":") == 1:  # "addr:port"; an IPv6 address has more colons
        server, _, port_text = nameserver.partition(":")
        port = int(port_text) if port_text.isdigit() else 53
    server = server.strip("[]")
    ident = random.randrange(65536)  # noqa: S311 - a query id, not a secret
    try:
        labels = host.rstrip(".").encode("idna").split(b".")
    except UnicodeError:
        return None
    question = b"".join(bytes([len(label)]) + label for label in labels) + b"\0"
    header = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)  # recursion desired, 1 question
    packet = header + question + struct.pack(">HH", 28, 1)  # type AAAA, class IN
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.sendto(packet, (server, port))
            reply, _ = sock.recvfrom(4096)
    except OSError:
        return None
    try:
        rid, flags, qdcount, ancount, _ns, _ar = struct.unpack(">HHHHHH", reply[:12])
        if rid != ident:
            return None
        rcode = flags & 0xF
        if rcode == 3:  # NXDOMAIN
            return False
        if rcode != 0:
            return None
        offset = 12
        for _ in range(qdcount):
            offset = _skip_name(reply, offset) + 4
        for _ in range(ancount):
            offset = _skip_name(reply, offset)
            rtype, _cls, _ttl, length = struct.unpack(">HHIH", reply[offset : offset + 10])
            offset += 10 + length
            if rtype == 28 and length == 16:
                return True
    except (struct.error, IndexError):
        return None
    return False


def _skip_name(data: bytes, offset: int) -> int:
    while True:
        length = data[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:  # compression pointer
            return offset + 2
        offset += 1 + length
