"""Decisions are made per project: an EOI stays shortlisted until every project
its applicant offered has an applied decision.

Until now applying decisions moved the EOI to accepted (or declined) at once,
whichever projects were decided, so an applicant accepted for one project was
never answered about the others. Each EOI decided that way with a project
still undecided goes back to shortlisted (with a status change saying so, by
nobody), so that the office can decide the rest; its applied decisions, team
places and the email already sent stay as they are. An EOI declined with no
decisions at all (declined as a whole) stays declined.
"""

from django.db import migrations
from django.utils import timezone

DECIDED = ["accepted", "declined"]


def reopen_undecided(apps, schema_editor):
    ExpressionOfInterest = apps.get_model("participants", "ExpressionOfInterest")
    Decision = apps.get_model("participants", "Decision")
    ProjectInterest = apps.get_model("participants", "ProjectInterest")
    StatusChange = apps.get_model("participants", "StatusChange")
    now = timezone.now()
    for eoi in ExpressionOfInterest.objects.filter(status__in=DECIDED).iterator():
        decided = Decision.objects.filter(
            expression_of_interest=eoi, applied_at__isnull=False
        ).values("project")
        if eoi.status == "declined" and not decided.exists():
            continue
        undecided = ProjectInterest.objects.filter(expression_of_interest=eoi).exclude(
            project__in=decided
        )
        if not undecided.exists():
            continue
        StatusChange.objects.create(
            expression_of_interest=eoi,
            from_status=eoi.status,
            to_status="shortlisted",
            changed_by=None,
            changed_at=now,
        )
        ExpressionOfInterest.objects.filter(pk=eoi.pk).update(status="shortlisted")


class Migration(migrations.Migration):
    dependencies = [("participants", "0017_referee_answer_is_a_field")]

    operations = [migrations.RunPython(reopen_undecided, migrations.RunPython.noop)]
