"""How the suite itself runs: what makes `make test` correct and fast, checked by the run."""

import pytest


def test_the_production_tests_share_one_worker_and_one_stack(request):
    """Under `make test` (pytest-xdist, --dist loadgroup) every production test is in
    the "production" group, so one worker runs them all on one stack. A pytest or
    xdist upgrade once dropped the grouping silently (pytest-dev/pytest-xdist#1386):
    each worker then started its own stack."""
    if not request.config.getvalue("loadgroup"):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    production = [item for item in request.session.items if item.get_closest_marker("production")]

    assert production, "no production test collected"
    assert [item.nodeid for item in production if not item.nodeid.endswith("@production")] == []
