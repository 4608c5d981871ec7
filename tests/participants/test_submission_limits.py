"""EOI submission is bounded per account and per address, across web processes."""

import pytest
from django.core.cache import cache

from participants import services
from participants.models import ExpressionOfInterest
from tests.stepchange.test_rate_limits import use_up_in_another_process


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
