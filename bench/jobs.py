"""The benchmarks' Django-side steps, each run in its own process against the stack's database.

    python -m bench.jobs NAME < arguments.json

prints the step's result as JSON on its last line. bench/stack.py's `job()`
runs them with the stack's environment (DEBUG off unless a step needs it on).
They prepare what would be slow to make through the pages (signed-in staff,
co-chairs and 2,000 applicants with complete drafts), count queries with
Django's test client, check submissions in the database, and send the
notice benchmark's mail.
"""

import datetime
import json
import secrets
import string
import sys
import time


def _session(user, authenticator=None):
    """A signed-in session for `user`, as django.contrib.auth.login() would leave it; with
    `authenticator`, as after the password and a code from it (allauth's record of the
    code is what stepchange/two_factor.py's gate reads)."""
    from allauth.mfa.base.internal.flows import post_authentication
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.http import HttpRequest

    from stepchange.session_limits import SEEN, STARTED

    data = {
        SESSION_KEY: user._meta.pk.value_to_string(user),
        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    if authenticator is not None:
        data[STARTED] = data[SEEN] = time.time()  # as at sign-in (start_the_clock)
        request = HttpRequest()
        request.session, request.user = data, user
        post_authentication(request, authenticator)
    return data


def _store(data):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def setup_staff(project_code):
    """A superuser of the coordination office and a business co-chair of the workstream of
    `project_code`, each with an authenticator app and a session signed in with it (the
    admin and the workspace let in only sessions that passed two factors)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from participants.models import User
    from projects.models import Project

    office = User.objects.create_superuser(
        email="bench-office@bench.invalid", password=None, full_name="Bench Office"
    )
    co_chair = User.objects.create_user(
        email="bench-co-chair@bench.invalid", password=None, full_name="Bench Co-chair"
    )
    apps = {
        user: TOTP.activate(user, generate_totp_secret()).instance for user in (office, co_chair)
    }
    project = Project.objects.select_related("workstream").get(code__iexact=project_code)
    workstream = project.workstream
    workstream.business_co_chair = co_chair
    workstream.save(update_fields=["business_co_chair"])
    return {
        "office_session": _store(_session(office, apps[office])),
        "co_chair_session": _store(_session(co_chair, apps[co_chair])),
        "workstream": workstream.slug,
        "project": project.code,
    }


def query_counts(session, paths):
    """Queries of each page for the session's user, with Django's test client on the stack's
    database: one request to warm up, then the one counted, made afresh (not the page
    kept for the session, stepchange/personal_pages.py: a hard reload's no-cache)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Cache-Control": "no-cache"})
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    counts = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        content = response.content.decode("utf-8", "replace")
        slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
        counts[path] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "slowest": [
                [round(float(query["time"]) * 1000, 1), _shorten(query["sql"])]
                for query in slowest[:3]
            ],
            # Rows shown: the admin's checkboxes, the workspace table's body rows.
            "rows": content.count('class="action-select"')
            or max(0, content.count('<tr class="govuk-table__row"') - 1),
        }
    return counts


def _shorten(sql):
    """A query's gist: its columns left out, from FROM on, in at most 160 characters."""
    sql = " ".join(sql.split()).replace('"', "")
    head, found, rest = sql.partition(" FROM ")
    if found and head.startswith("SELECT"):
        sql = f"{head[:30]}… FROM {rest}"
    return sql[:160]


def count_eois():
    from participants.models import ExpressionOfInterest

    return ExpressionOfInterest.objects.count()


# Submissions

# Every section complete, as in tests/participants/conftest.py's ANSWERS.
ANSWERS = {
    "job_title": "Head of Security",
    "work_phone": "01632 960 001",
    "organisation_name": "Example Venues Ltd",
    "sector": "private",
    "organisation_size": "large",
    "website": "https://www.example.org",
    "cssc_member": True,
    "referee_name": "Robin Referee",
    "referee_job_title": "Chief Operating Officer",
    "referee_phone": "+44 808 157 0192",
    "referee_relationship": "Line manager",
    "referee_consent": True,
    "vetting": "sc",
    "sia_licence_number": "1234 5678 9012 3456",
    "hours_per_month": 8,
    "no_conflicts": True,
    "accepts_confidentiality": True,
    "accepts_voluntary": True,
    "undertakes_to_declare": True,
    "read_privacy_notice": True,
}
INTERESTS = [
    ("CP2", "lead", "Ran the venue partnership programme for five years."),
    ("T1", "deliver", "Vetting policy for 2,000 staff."),
]
CSRF_CHARS = string.ascii_letters + string.digits


def prepare_applicants(count, prefix):
    """`count` applicants with a verified address, a complete draft in the current call and
    a signed-in session each; returns their references, session keys and CSRF secrets."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from participants.models import ExpressionOfInterest, ProjectInterest, User
    from participants.sections import SECTIONS, completed_sections
    from projects.models import Call

    call = Call.objects.current()
    projects = {project.code: project for project in call.projects.all()}
    password = make_password(None)
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    store = SessionStore()
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"{prefix}{n:05d}@bench.invalid",
                full_name=f"Bench Applicant {n}",
                password=password,
            )
            for n in range(count)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        eois = ExpressionOfInterest.objects.bulk_create(
            ExpressionOfInterest(
                applicant=user,
                call=call,
                full_name=user.full_name,
                work_email=user.email,
                referee_email=f"referee-{user.email}",
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                **ANSWERS,
            )
            for user in users
        )
        ProjectInterest.objects.bulk_create(
            ProjectInterest(
                expression_of_interest=eoi,
                project=projects[code],
                role=role,
                experience=experience,
                preference=preference,
            )
            for eoi in eois
            for preference, (code, role, experience) in enumerate(INTERESTS, start=1)
        )
        sessions = [
            Session(
                session_key=get_random_string(32, VALID_KEY_CHARS),
                session_data=store.encode(_session(user)),
                expire_date=expires,
            )
            for user in users
        ]
        Session.objects.bulk_create(sessions)
    sample = ExpressionOfInterest.objects.get(pk=eois[0].pk)
    missing = {section.slug for section in SECTIONS} - completed_sections(sample)
    if missing:
        raise RuntimeError(f"the prepared drafts miss sections: {sorted(missing)}")
    return [
        {
            "reference": eoi.reference,
            "session": session.session_key,
            "csrf": "".join(secrets.choice(CSRF_CHARS) for _ in range(32)),
        }
        for eoi, session in zip(eois, sessions, strict=True)
    ]


def check_submissions(references, answered):
    """Compare what the clients were told with the database.

    lost: answered with the confirmation but not submitted; duplicated: more than one
    confirmation notice, or more than one draft→submitted status change, for an EOI.
    """
    from django.db.models import Count

    from participants import notices
    from participants.models import ExpressionOfInterest, StatusChange
    from stepchange.models import Notice
    from stepchange.notices import occurrences

    eois = {
        eoi.reference: eoi
        for eoi in ExpressionOfInterest.objects.filter(reference__in=references).only(
            "pk", "reference", "status"
        )
    }
    submitted = {reference for reference, eoi in eois.items() if eoi.status == eoi.Status.SUBMITTED}
    confirmations = dict(
        Notice.objects.filter(
            reason=notices.EOI_CONFIRMATION,
            occurrence__in=[occurrences.eoi(eoi.pk) for eoi in eois.values()],
        )
        .values_list("occurrence")
        .annotate(n=Count("pk"))
    )
    changes = dict(
        StatusChange.objects.filter(
            expression_of_interest__in=eois.values(),
            from_status=ExpressionOfInterest.Status.DRAFT,
            to_status=ExpressionOfInterest.Status.SUBMITTED,
        )
        .values_list("expression_of_interest")
        .annotate(n=Count("pk"))
    )
    duplicated = [
        reference
        for reference, eoi in eois.items()
        if confirmations.get(occurrences.eoi(eoi.pk), 0) > 1 or changes.get(eoi.pk, 0) > 1
    ]
    answered = set(answered)
    return {
        "submitted": len(submitted),
        "lost": sorted(answered - submitted),
        "duplicated": sorted(duplicated),
        "submitted_unanswered": sorted(submitted - answered),
        "confirmations": sum(confirmations.values()),
    }


# Notices

FANOUT_OCCURRENCE = "bench:call-closed"


def _closing_wording():
    """The "call has closed" notice as the portal words it, for one typical applicant."""
    from django.conf import settings

    from participants import notices
    from participants.models import ExpressionOfInterest
    from projects.models import Call
    from stepchange.notices.rendering import render_wording

    call = Call.objects.current()
    eoi = ExpressionOfInterest(
        call=call, full_name="Alex Applicant", status=ExpressionOfInterest.Status.SUBMITTED
    )
    subject, text, html = render_wording(
        "participants/email/call_closed", notices.call_closed(eoi, call=call)
    )
    return f"{settings.SERVICE_NAME}: {subject}", text, html, call.contact_email


def send_plainly(count, prefix):
    """The baseline: `count` messages sent one at a time by Django's mail API in this
    process, over one connection to the mail server with the settings the workers use
    (the outbox's workers keep one open for each batch)."""
    from email.utils import make_msgid

    from django.core.mail import EmailMultiAlternatives, get_connection

    subject, text, html, reply_to = _closing_wording()
    cpu = time.process_time()
    started = time.time()
    connection = get_connection()
    connection.open()
    for n in range(count):
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[f"{prefix}{n:05d}@bench.invalid"],
            reply_to=[reply_to],
            headers={"Message-ID": make_msgid(domain="bench.invalid")},
            connection=connection,
        )
        message.attach_alternative(html, "text/html")
        message.send()
    connection.close()
    return {"started": started, "ended": time.time(), "cpu": time.process_time() - cpu}


def queue_fanout(count, prefix):
    """`count` "call has closed" notices through the outbox, in one transaction, batched as
    the portal's fan-outs are; their sending is queued to Celery as it commits. Returns
    when that queueing is done."""
    from django.db import transaction

    from participants import notices
    from stepchange.notices.outbox import batched, queue_rendered

    subject, text, html, reply_to = _closing_wording()
    cpu = time.process_time()
    marks = {"started": time.time()}
    with transaction.atomic():
        # Registered first, so it runs first: the moment the transaction has committed.
        transaction.on_commit(lambda: marks.setdefault("committed", time.time()))
        with batched():
            for n in range(count):
                queue_rendered(
                    reason=notices.CALL_CLOSED,
                    recipient=f"{prefix}{n:05d}@bench.invalid",
                    occurrence=FANOUT_OCCURRENCE,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    reply_to=reply_to,
                )
        marks["rows"] = time.time()
    marks["enqueued"] = time.time()
    marks["cpu"] = time.process_time() - cpu
    return marks


JOBS = {
    job.__name__: job
    for job in [
        setup_staff,
        query_counts,
        count_eois,
        prepare_applicants,
        check_submissions,
        send_plainly,
        queue_fanout,
    ]
}

if __name__ == "__main__":
    import django

    name = sys.argv[1]
    arguments = json.load(sys.stdin)
    django.setup()
    print(json.dumps(JOBS[name](**arguments)))
