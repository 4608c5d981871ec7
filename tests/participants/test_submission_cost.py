"""What sending an EOI costs: its queries, and the rows it locks."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from participants import answers
from participants.models import ExpressionOfInterest
from projects.models import Call
from tests.factories import UserFactory

# The user with their roles (middleware, one query; the session comes from Redis); the request's transaction;
# the EOI; submit()'s savepoint; the EOI locked with its call and applicant;
# projects chosen?; email verified?; the update, its history and status
# change; the projects and conflicts the emails list; the two emails'
# notices (their wording is read by the worker that renders them); the
# savepoint and the transaction ended. (29 before the EOI was read and
# checked once; 20 while the request rendered the emails and the co-chair
# check was a query of its own.)
SUBMISSION_QUERIES = 16


def test_sending_an_eoi_takes_a_fixed_number_of_queries(applicant_client, complete_draft):
    with CaptureQueriesContext(connection) as queries:
        response = applicant_client.post(
            f"/applications/{complete_draft.reference}/check-your-answers/"
        )

    assert response.status_code == 302
    assert len(queries) == SUBMISSION_QUERIES


@pytest.mark.django_db(transaction=True)
def test_locking_an_eoi_leaves_its_call_free(open_call):
    """Applicants' changes and submissions lock their own EOI only: were the call's
    row locked with it, each would wait for every other one's to commit."""
    eoi = ExpressionOfInterest.objects.create(applicant=UserFactory(), call=open_call)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                answers.locked_for_change(eoi)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            # Raises DatabaseError at once if the call's row is locked.
            call = Call.objects.select_for_update(nowait=True).get(pk=open_call.pk)
        assert call == open_call
    finally:
        release.set()
        holder.join()
