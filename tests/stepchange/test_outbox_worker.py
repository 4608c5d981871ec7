"""The outbox with a real worker process, the real broker and an SMTP server on loopback."""

import pytest
from celery import current_app

from stepchange import outbox
from stepchange.models import Notice
from tests.conftest import wait_for
from tests.participants.conftest import ANSWERS, section_url, verified_user

pytestmark = pytest.mark.services


@pytest.fixture
def sent_eoi(client, loaded_programme, transactional_db):
    """A complete EOI, ready to send, for an applicant signed in on `client`."""
    from participants.models import ExpressionOfInterest
    from projects.services import open_demonstration_call

    open_demonstration_call()
    applicant = verified_user("alex@example.org")
    client.force_login(applicant)
    client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)
    for section, data in ANSWERS.items():
        assert client.post(section_url(eoi, section), data).status_code == 302
    return eoi


def test_submitted_eoi_emails_arrive_once_each(client, sent_eoi, smtp_sink, worker_process):
    _, log = worker_process(EMAIL_URL=smtp_sink.url)

    response = client.post(f"/applications/{sent_eoi.reference}/check-your-answers/")

    assert response.status_code == 302
    wait_for(lambda: len(smtp_sink.messages) >= 2, message=f"two emails; worker log:\n{log}")
    outbox.sweep()  # queueing everything again must not send anything again
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all sent")
    assert smtp_sink.recipients() == ["alex@example.org", "robin@example.org"]
    assert len(set(smtp_sink.message_ids())) == 2


def test_broker_down_during_submission_loses_nothing(client, sent_eoi, smtp_sink, worker_process):
    from tests.smtp_sink import free_port

    app = current_app._get_current_object()
    working_broker = app.conf.broker_url

    def use_broker(url):
        # Celery builds its connection pools from broker_url on first use.
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    use_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        response = client.post(f"/applications/{sent_eoi.reference}/check-your-answers/")
    finally:
        use_broker(working_broker)

    assert response.status_code == 302
    sent_eoi.refresh_from_db()
    assert sent_eoi.status == "submitted"
    assert list(Notice.objects.values_list("state", flat=True)) == ["pending", "pending"]

    worker_process(EMAIL_URL=smtp_sink.url)
    assert outbox.sweep() == 2  # what beat does every minute once the broker is back
    wait_for(lambda: len(smtp_sink.messages) >= 2, message="the emails after the broker returned")
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all sent")
    assert smtp_sink.recipients() == ["alex@example.org", "robin@example.org"]
