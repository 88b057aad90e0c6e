"""Where the server may send a request of its own (the group robot's webhook, the SMS gateway):
http(s) only, and never to this machine or the private network behind it (the worker would post
wherever an organizer pointed it), unless settings.OUTBOUND_ALLOWED_NETWORKS names the network,
as an intranet deployment with its own SMS gateway does.

The check is made when the address is saved (the host as written) and again before each request
(every address the name resolves to). A name that resolves differently between the check and the
connection (DNS rebinding) is not caught; the allowed networks and a firewall are the wall for that.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def _allowed_networks():
    return [ipaddress.ip_network(network, strict=False) for network in settings.OUTBOUND_ALLOWED_NETWORKS]


def _internal(address) -> bool:
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    ) and not any(address in network for network in _allowed_networks())


def _parse(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts


def address_problem(url: str) -> str | None:
    """What is wrong with `url` as an outbound address, judged from the text alone; None if
    nothing is. For forms: no name is looked up (an intranet server may not resolve public names)."""
    parts = _parse(url)
    if parts is None:
        return "地址必须以 http:// 或 https:// 开头，并写明主机名"
    host = parts.hostname.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "地址不能指向本机"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if _internal(address):
        return "地址不能指向本机或内部网络（如确需使用内网网关，请由管理员设置 OUTBOUND_ALLOWED_NETWORKS）"
    return None


def destination_problem(url: str) -> str | None:
    """address_problem, and then every address the host resolves to, just before a request."""
    problem = address_problem(url)
    if problem:
        return problem
    parts = _parse(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except OSError:
        return None  # not resolvable now: the request itself will fail and be retried
    for info in infos:
        if _internal(ipaddress.ip_address(info[4][0].split("%")[0])):
            return f"主机 {parts.hostname} 解析到本机或内部网络地址 {info[4][0]}"
    return None
