"""Webhook URL checks against server-side request forgery.

A webhook URL must be HTTPS, carry no credentials, and every address its host resolves to must be a public
unicast address: private (RFC 1918, ULA), loopback, link-local (cloud metadata lives there), multicast,
reserved, unspecified, shared (CGNAT) and documentation ranges are refused. The check runs when the
webhook is registered and again before every delivery, and the delivery connects to the address that
was checked (so a DNS answer cannot change between the check and the connection).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

Resolver = Callable[[str, int], list[str]]
MAX_URL = 500


class UnsafeUrl(ValueError):
    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient  # the name did not resolve (now): worth retrying, unlike a bad address


@dataclass(frozen=True)
class SafeTarget:
    url: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    addresses: tuple[str, ...]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def address_problem(address: str) -> str:
    """Why an address may not be called, or '' when it is a public unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "shared (carrier-grade NAT)"
    if not ip.is_global:
        return "not public"
    return ""


def check_url(url: str, *, resolver: Resolver = system_resolver) -> SafeTarget:
    """The URL's parts and checked addresses; UnsafeUrl with a reason a person can act on otherwise."""
    url = (url or "").strip()
    if not url:
        raise UnsafeUrl(_("Enter the HTTPS URL that should receive the events."))
    if len(url) > MAX_URL:
        raise UnsafeUrl(_("Keep the URL under %(n)s characters.") % {"n": MAX_URL})
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError:
        raise UnsafeUrl(_("This is not a valid URL.")) from None
    if parts.scheme.lower() != "https":
        raise UnsafeUrl(_("The URL must start with https:// (events are signed, and sent only over TLS)."))
    if parts.username or parts.password:
        raise UnsafeUrl(_("Do not put a user name or password in the URL; the signature authenticates us."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeUrl(_("The URL has no host name."))
    if parts.fragment:
        raise UnsafeUrl(_("Remove the #fragment from the URL."))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        if host.lower() == "localhost" or host.lower().endswith((".localhost", ".local", ".internal")):
            raise UnsafeUrl(_("'%(h)s' names a local machine; use a public host name.") % {"h": host})
        try:
            addresses = resolver(host, port)
        except (OSError, UnicodeError):
            raise UnsafeUrl(
                _("The host '%(h)s' could not be resolved. Check the spelling.") % {"h": host},
                transient=True,
            ) from None
        if not addresses:
            raise UnsafeUrl(_("The host '%(h)s' has no address.") % {"h": host})
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise UnsafeUrl(
                _(
                    "The host '%(h)s' resolves to %(a)s (%(p)s address); webhooks may only call public "
                    "addresses."
                )
                % {"h": host, "a": address, "p": problem}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return SafeTarget(url=url, host=host, port=port, path=path, addresses=tuple(addresses))
