"""Which hosts an outbound request may reach (the SSRF guard).

A host is resolved once, every address it resolves to is checked, and the connection is then
made to those very addresses, so a name cannot pass the check with a public address and
connect with a private one (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket

from gongkai.net.errors import FetchFailed, FetchRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address; false for private (10/8, 192.168/16,
    fc00::/7…), loopback, link-local (169.254/16 with the cloud metadata service, fe80::/10),
    shared (100.64/10), reserved, multicast and unspecified addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)  # ::ffff:127.0.0.1 is 127.0.0.1
        if ip.sixtofour is not None:
            return is_public(ip.sixtofour)  # 2002:7f00:1:: is 6to4 for 127.0.0.1
        if ip.teredo is not None:
            return all(is_public(v4) for v4 in ip.teredo)  # (server, client)
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
    )


def resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses to connect to for host:port, in the resolver's order.

    Refused when any of them is not public (unless allow_private): a name that also points
    inside the network is not one to follow.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"无法解析域名 {host}") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone (fe80::1%eth0)
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise FetchFailed(f"无法解析域名 {host}")
    if not allow_private:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text)):
                raise FetchRefused(f"不允许访问内网或本机地址：{host}（{text}）")
    return addresses
