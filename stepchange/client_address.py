"""The network address a request comes from: the one answer every limit and record uses.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address, the same for
every visitor. Each proxy that forwards a request appends the address it
received it from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies of
ours in front of the portal the client is the entry that many from the right.
Anything further left was written by whoever sent the request, and anyone
can send any header: those entries are never read. With
TRUSTED_CLIENT_IP_HEADER (say X-Real-IP) the proxy states the client's
address in a header of its own, which it must always overwrite.

Our rate limits (stepchange/ratelimit.py), allauth's rate limits and the
address recorded with each session (participants/adapters.py) all come from
client_address(); no other module reads REMOTE_ADDR or X-Forwarded-For
(tests/stepchange/test_client_address.py reads the source to keep it so).
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a normalised string, or None if no valid one is given."""
    header = settings.TRUSTED_CLIENT_IP_HEADER
    if header:
        return _parsed(request.headers.get(header, ""))
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("X-Forwarded-For", "")
    # Several X-Forwarded-For headers reach Django joined by commas, in the order sent.
    entries = [entry.strip() for entry in forwarded.split(",")] if forwarded else []
    if count and len(entries) >= count:
        return _parsed(entries[-count])
    # With no trusted proxy, or a request that did not pass through all of them
    # (a health check from the proxy's host, say), the address that connected.
    return _parsed(request.META.get("REMOTE_ADDR", ""))


def _parsed(value):
    """An IP address without port or brackets ("[2001:db8::1]:443", "192.0.2.1:8080"), or None."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
