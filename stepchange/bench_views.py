"""Baselines for the benchmarks (bench/): the cheapest pages Django can serve.

Mounted only when BENCHMARK_VIEWS is on (bench/ turns it on for its own
stack); never in production.
"""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


def bare(request):
    """A constant string: the ceiling for any page of this server."""
    return HttpResponse("bare", content_type="text/plain")


@csrf_exempt
def bare_insert(request):
    """One row inserted (into bench_row, which bench/ creates): the ceiling for a form post."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (created) VALUES (now())")
    return HttpResponse("inserted", content_type="text/plain")
