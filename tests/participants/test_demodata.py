import pytest
from django.core.management import CommandError, call_command

from participants.models import ExpressionOfInterest, ProjectInterest


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_demodata_makes_300_realistic_eois_by_default(open_call, debug):
    call_command("demodata")

    eois = ExpressionOfInterest.objects.filter(call=open_call)
    assert eois.count() == 300
    assert set(eois.values_list("status", flat=True)) >= {"draft", "submitted", "shortlisted"}
    assert not eois.filter(full_name="").exists()
    assert ProjectInterest.objects.filter(expression_of_interest__call=open_call).count() >= 300
    sent = eois.exclude(status="draft")
    assert sent.filter(submitted_at__isnull=True).count() == 0
    assert (
        sent.filter(validation_checks__method="email_verified").distinct().count() == sent.count()
    )


def test_demodata_makes_any_number_and_adds_to_what_exists(open_call, debug):
    call_command("demodata", 25)
    call_command("demodata", 5)

    assert ExpressionOfInterest.objects.count() == 30
    call_command("demodata", 5, if_empty=True)
    assert ExpressionOfInterest.objects.count() == 30


def test_demodata_refuses_to_run_in_production(open_call, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demodata", 5)
    assert ExpressionOfInterest.objects.count() == 0
