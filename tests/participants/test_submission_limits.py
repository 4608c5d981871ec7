"""EOI submission is bounded per account and per address, across web processes;
an address may be a whole office, and behind our proxy each visitor counts alone."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from participants import services
from participants.models import ExpressionOfInterest
from stepchange import ratelimit
from tests.stepchange.test_rate_limits import use_up_in_another_process

OFFICE = 200  # people behind one office gateway: one network address


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_eoi_submission_is_limited_per_account_across_processes(
    applicant_client, applicant, complete_draft
):
    limit = services.SUBMISSION_LIMITS["per_account"]
    use_up_in_another_process("eoi-submission:account", f"user:{applicant.pk}", limit)

    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent expressions of interest too often." in page
    assert "You can try again after" in page
    assert int(response["Retry-After"]) > 0
    complete_draft.refresh_from_db()
    assert complete_draft.status == ExpressionOfInterest.Status.DRAFT


def test_eoi_submission_is_limited_per_address(applicant_client, complete_draft):
    limit = services.SUBMISSION_LIMITS["per_address"]
    use_up_in_another_process("eoi-submission:address", "ip:127.0.0.1", limit)

    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )

    assert response.status_code == 429


def colleagues_have_sent(address, count):
    """`count` EOIs sent from `address` this hour by other people's accounts."""
    keys = ratelimit._keys("eoi-submission:address", f"ip:{address}", count)
    cache.set_many(dict.fromkeys(keys, timezone.now()), timeout=3600)


def test_everyone_in_an_office_can_send_their_eoi_in_the_same_hour(
    applicant_client, complete_draft
):
    colleagues_have_sent("127.0.0.1", OFFICE - 1)

    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )

    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == ExpressionOfInterest.Status.SUBMITTED


def test_behind_the_proxy_each_visitors_address_is_counted(
    applicant_client, complete_draft, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    colleagues_have_sent("198.51.100.7", services.SUBMISSION_LIMITS["per_address"])
    url = f"/applications/{complete_draft.reference}/check-your-answers/"

    # The proxy appended 198.51.100.7; the address in front was written by the client.
    spoofed = applicant_client.post(
        url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7"
    )
    assert spoofed.status_code == 429
    other = applicant_client.post(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302
