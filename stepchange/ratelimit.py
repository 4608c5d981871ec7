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

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from .client_address import client_address

# An IPv6 client usually holds a whole /64 and can change address within it.
IPV6_PREFIX = 64


class RateLimited(Exception):
    """Every slot of a sender is taken; `retry_at` is when the first one frees."""

    def __init__(self, retry_at):
        super().__init__(f"rate limited until {retry_at.isoformat()}")
        self.retry_at = retry_at


def senders(request):
    """Who a request counts against: its network address and, when signed in, its account.

    The address is stepchange.client_address's, as for allauth's limits, so
    that behind our proxy each visitor counts alone; a request without one is
    refused with 403. One address may be a whole office behind one gateway,
    so each limit gives an address more than an account (take_for).
    """
    found = client_address(request)
    if found is None:
        raise PermissionDenied("No client address")
    address = ipaddress.ip_address(found)
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address
    found = [f"ip:{address}"]
    if request.user.is_authenticated:
        found.append(f"user:{request.user.pk}")
    return found


def _keys(action, sender, limit):
    return [f"ratelimit:{action}:{sender}:{slot}" for slot in range(limit)]


def _retry_at(keys, window, now):
    taken = cache.get_many(keys).values()
    return min(taken, default=now - window) + window


def _take_one_each(slots, window, now, seen=()):
    """Take a free slot of each of `slots` (lists of keys), or none: raise RateLimited.

    Keys in `seen` (read as taken a moment ago) are tried last: with an
    office's hundreds of slots, most taken, the free one is then the first tried.
    """
    seconds = window.total_seconds()
    taken = []
    for keys in slots:
        keys = sorted(keys, key=lambda k: k in seen)  # stable: the free ones first, in order
        key = next((k for k in keys if cache.add(k, now, seconds)), None)
        if key is None:
            cache.delete_many(taken)
            raise RateLimited(_retry_at(keys, window, now))
        taken.append(key)


def take(action, senders, *, limit, window, now=None):
    """Take one slot of each sender, or none: raise RateLimited if any has none left.

    A slot taken stays taken for `window`, whatever the caller does next.
    """
    now = now or timezone.now()
    _take_one_each([_keys(action, sender, limit) for sender in senders], window, now)


def _slots(action, senders, per_address, per_account):
    """Each sender's slot keys: an address ("ip:...") has per_address, an account per_account."""
    return [
        _keys(f"{action}:address", sender, per_address)
        if sender.startswith("ip:")
        else _keys(f"{action}:account", sender, per_account)
        for sender in senders
    ]


def _check(slots, window, now):
    """Raise RateLimited if any of `slots` (lists of keys) is all taken; return what was read."""
    # One read of the cache for every slot of every sender.
    found = cache.get_many([key for keys in slots for key in keys])
    for keys in slots:
        taken = [found[key] for key in keys if key in found]
        if len(taken) >= len(keys):
            raise RateLimited(min(taken, default=now - window) + window)
    return found


def check_senders(action, senders, *, per_address, per_account, window, now=None):
    """Raise RateLimited if any of the senders has no slot left; take nothing."""
    _check(_slots(action, senders, per_address, per_account), window, now or timezone.now())


def take_senders(action, senders, *, per_address, per_account, window, now=None):
    """Take one slot of each sender's address (up to `per_address` in `window`) or
    account (`per_account`); raise RateLimited, taking nothing, if any has none left."""
    now = now or timezone.now()
    slots = _slots(action, senders, per_address, per_account)
    found = _check(slots, window, now)
    _take_one_each(slots, window, now, seen=found)


def take_for(request, action, *, per_address, per_account, window, now=None):
    """take_senders() for the request's address and, when signed in, its account."""
    take_senders(
        action,
        senders(request),
        per_address=per_address,
        per_account=per_account,
        window=window,
        now=now,
    )


def too_many(request, retry_at, what):
    """The service's 429 page: what was refused and when to try again."""
    # The page gives the time to the minute: round up, so that it is never too early.
    minute = retry_at.replace(second=0, microsecond=0)
    retry_at = minute if minute == retry_at else minute + datetime.timedelta(minutes=1)
    response = render(request, "429.html", {"retry_at": retry_at, "what": what}, status=429)
    seconds = (retry_at - timezone.now()).total_seconds()
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response
