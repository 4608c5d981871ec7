"""How often one sender may do something: a sliding window kept in the cache.

Each sender has `limit` slots, each a cache key that lives for `window` from
the moment it is taken. Taking a slot is one `cache.add`, which Redis,
memcached and the database cache do atomically, so processes that share the
cache can never together take more than `limit` in any window, and need no
lock. The default local-memory cache belongs to one process: with it, each
process counts on its own.

allauth's rate-limit helper was not used: its public `consume` reads only
ACCOUNT_RATE_LIMITS, and neither it nor the internal one tells when the
sender may try again.
"""

import datetime
import ipaddress
import math

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

# An IPv6 client usually holds a whole /64 and can change address within it.
IPV6_PREFIX = 64


class RateLimited(Exception):
    """Every slot of a sender is taken; `retry_at` is when the first one frees."""

    def __init__(self, retry_at):
        super().__init__(f"rate limited until {retry_at.isoformat()}")
        self.retry_at = retry_at


def senders(request):
    """Who a request counts against: its IP address and, when signed in, its account.

    The address is allauth's idea of the client's (so ALLAUTH_TRUSTED_PROXY_COUNT
    applies here as to sign-in); a request without one is refused with 403.
    """
    address = ipaddress.ip_address(get_adapter().get_client_ip(request))
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address
    found = [f"ip:{address}"]
    if request.user.is_authenticated:
        found.append(f"user:{request.user.pk}")
    return found


def _keys(action, sender, limit):
    return [f"ratelimit:{action}:{sender}:{slot}" for slot in range(limit)]


def _retry_at(action, sender, limit, window, now):
    taken = cache.get_many(_keys(action, sender, limit)).values()
    return min(taken, default=now - window) + window


def check(action, senders, *, limit, window, now=None):
    """Raise RateLimited if any of the senders has no slot left; take nothing."""
    now = now or timezone.now()
    for sender in senders:
        if len(cache.get_many(_keys(action, sender, limit))) >= limit:
            raise RateLimited(_retry_at(action, sender, limit, window, now))


def take(action, senders, *, limit, window, now=None):
    """Take one slot of each sender, or none: raise RateLimited if any has none left.

    A slot taken stays taken for `window`, whatever the caller does next.
    """
    now = now or timezone.now()
    seconds = window.total_seconds()
    taken = []
    for sender in senders:
        key = next((k for k in _keys(action, sender, limit) if cache.add(k, now, seconds)), None)
        if key is None:
            cache.delete_many(taken)
            raise RateLimited(_retry_at(action, sender, limit, window, now))
        taken.append(key)


def take_for(request, action, *, per_address, per_account, window, now=None):
    """Take one slot of the request's address (up to `per_address` in `window`) and,
    when signed in, of its account (`per_account`); raise RateLimited, taking
    nothing, if either has none left."""
    now = now or timezone.now()
    address, *account = senders(request)
    limits = [(f"{action}:address", [address], per_address)]
    if account:
        limits.append((f"{action}:account", account, per_account))
    # check() for every limit, with one read of the cache for all their slots.
    slots = {
        (name, sender): _keys(name, sender, limit) for name, who, limit in limits for sender in who
    }
    found = cache.get_many([key for keys in slots.values() for key in keys])
    for name, who, limit in limits:
        for sender in who:
            taken = [found[key] for key in slots[name, sender] if key in found]
            if len(taken) >= limit:
                raise RateLimited(min(taken, default=now - window) + window)
    for name, who, limit in limits:
        take(name, who, limit=limit, window=window, now=now)


def too_many(request, retry_at, what):
    """The service's 429 page: what was refused and when to try again."""
    # The page gives the time to the minute: round up, so that it is never too early.
    minute = retry_at.replace(second=0, microsecond=0)
    retry_at = minute if minute == retry_at else minute + datetime.timedelta(minutes=1)
    response = render(request, "429.html", {"retry_at": retry_at, "what": what}, status=429)
    seconds = (retry_at - timezone.now()).total_seconds()
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response
