"""The signed-in part's Django-side steps (bench/signed_in.py), run as bench/jobs.py's are:

    python -m bench.signed_in_jobs NAME < arguments.json

prints the step's result as JSON on its last line.
"""

import json
import sys

SENT_PREFIX = "bench-signed-in-sent-"
DRAFT_PREFIX = "bench-signed-in-draft-"


def setup_signed_in(clients, project_code):
    """`clients` stakeholders with a sent EOI and as many with a complete draft, each with a
    session of its own; `clients` sessions each of bench/jobs.py's setup_staff office user and
    co-chair, signed in with their authenticator app. setup_staff must have run."""
    from allauth.mfa.models import Authenticator

    from bench.jobs import _session, _store, prepare_applicants
    from participants import services
    from participants.models import ExpressionOfInterest, User
    from participants.sections import SECTIONS
    from projects.models import Project

    sent = prepare_applicants(count=clients, prefix=SENT_PREFIX)
    eois = ExpressionOfInterest.objects.filter(reference__in=[item["reference"] for item in sent])
    for eoi in eois.order_by("pk"):
        services.submit(eoi)
    drafts = prepare_applicants(count=clients, prefix=DRAFT_PREFIX)
    staff = {}
    for name, email in [
        ("office", "bench-office@bench.invalid"),
        ("co_chair", "bench-co-chair@bench.invalid"),
    ]:
        user = User.objects.get(email=email)
        app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        staff[name] = [_store(_session(user, app)) for _ in range(clients)]
    project = Project.objects.select_related("workstream").get(code__iexact=project_code)
    return {
        "sent": [{"reference": item["reference"], "session": item["session"]} for item in sent],
        "drafts": [{"reference": item["reference"], "session": item["session"]} for item in drafts],
        "sent_pk": eois.order_by("pk").first().pk,
        "office": staff["office"],
        "co_chair": staff["co_chair"],
        "sections": [step.slug for step in SECTIONS],
        "workstream": project.workstream.slug,
        "project": project.code,
        "project_url": project.get_absolute_url(),
    }


JOBS = {job.__name__: job for job in [setup_signed_in]}

if __name__ == "__main__":
    import django

    name = sys.argv[1]
    arguments = json.load(sys.stdin)
    django.setup()
    print(json.dumps(JOBS[name](**arguments)))
