"""Wording the coordination office writes cannot reach anyone's secrets.

Before notices were rendered with plain values, wording such as a loop from
`eoi.call.projects.all` to a co-chair's `authenticator_set` printed two-factor
secrets and session keys in the preview and in the emails. Here every notice
gets wording that tries each way there was from the objects the notices were
given (the applicant, the call, its projects and their co-chairs, the
history's and the status changes' users, the decisions', conflicts' and
checks' users, the teams) starting from every name the wording could use, and
every notice is previewed and really queued with it. Each attempt must render
nothing, and no output may hold a secret, a session key, a password hash or an
email address of anyone but the people the notice is about.
"""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from participants import decisions, services
from participants.models import Decision, ExpressionOfInterest, User
from participants.reminders import (
    queue_closing_notices,
    queue_closing_reminders,
    queue_milestone_reminders,
)
from projects.models import Call, Milestone, Project
from projects.services import LONDON, ask_question
from stepchange.models import Notice, NoticeTemplate
from stepchange.notices import registry
from tests.conftest import deliver_outbox
from tests.factories import UserFactory, give_two_factor, login_with_two_factor
from workstreams.models import Workstream

DAY = datetime.timedelta(days=1)
CONTACT = "stepchange@demo.stepchange.invalid"
APPLICANT, REFEREE = "alex@example.org", "robin@example.org"

# What a template could print of a user it reached, `u`.
USER = (
    "{{ u }}{{ u.email }}{{ u.full_name }}"
    "{% for a in u.authenticator_set.all %}{{ a.data }}{{ a.data.secret }}{{ a.data.seed }}"
    "{% endfor %}"
    "{% for s in u.usersession_set.all %}{{ s.session_key }}{{ s.data }}{% endfor %}"
    "{% for e in u.emailaddress_set.all %}{{ e.email }}{% endfor %}"
    "{% for e in u.logentry_set.all %}{{ e }}{% endfor %}"
)
# From an object (an EOI, a call, a project, a question...) to one user.
TO_A_USER = [
    "applicant",
    "asked_by",
    "history_user",
    "changed_by",
    "staged_by",
    "applied_by",
    "decided_by",
    "recorded_by",
    "member",
    "added_by",
    "updated_by",
    "business_co_chair",
    "police_co_chair",
    "workstream.business_co_chair",
    "workstream.police_co_chair",
    "project.workstream.business_co_chair",
    "expression_of_interest.applicant",
    "call.expressions_of_interest.first.applicant",
    "call.projects.first.workstream.business_co_chair",
    "history.first.history_user",
    "history.last.history_user",
    "status_changes.first.changed_by",
]
# From an object to a list of things, and from each to a user.
TO_USERS = [
    ("call.projects.all", "workstream.business_co_chair"),
    ("call.projects.all", "workstream.police_co_chair"),
    ("projects.all", "workstream.police_co_chair"),
    ("call.expressions_of_interest.all", "applicant"),
    ("expressions_of_interest.all", "applicant"),
    ("history.all", "history_user"),
    ("status_changes.all", "changed_by"),
    ("decisions.all", "staged_by"),
    ("conflicts.all", "decided_by"),
    ("validation_checks.all", "recorded_by"),
    ("project_interests.all", "project.workstream.business_co_chair"),
    ("team.all", "member"),
    ("project.team.all", "member"),
    ("applicant.team_memberships.all", "added_by"),
]
# The names the notices' contexts used to hold, and their loops' names.
OLD_NAMES = ["eoi", "call", "question", "project", "milestone", "workstream", "row", "place"]


def attempts(root):
    """Every way from `root` to a user, each printing what it reaches between [[ and ]]."""
    found = [f"[[{{% with u={root}.{path} %}}{USER}{{% endwith %}}]]" for path in TO_A_USER]
    found += [
        f"[[{{% for x in {root}.{many} %}}{{% with u=x.{path} %}}{USER}{{% endwith %}}"
        "{% endfor %}]]"
        for many, path in TO_USERS
    ]
    return "".join(found)


def hostile_wording(key, context):
    """The notice's own placeholders, then every attempt from every name it could use."""
    names = OLD_NAMES + sorted(context)
    lists = [name for name, value in context.items() if isinstance(value, list)]
    body = " ".join(f"{{{{ {name} }}}}" for name in sorted(context))
    body += "".join(attempts(name) for name in names)
    body += "".join(f"{{% for item in {name} %}}{attempts('item')}{{% endfor %}}" for name in lists)
    subject = f"{key} [[{{% with u=eoi.call.projects.first.workstream.business_co_chair %}}"
    subject += "{{ u.email }}{% for a in u.authenticator_set.all %}{{ a.data }}{% endfor %}"
    subject += "{% endwith %}{{ eoi.applicant.usersession_set.first.session_key }}]]"
    return {"subject": subject, "body_text": body, "body_html": f"<p>{body}</p>"}


def activate_hostile_wording(eoi):
    for key in registry.TYPES:
        NoticeTemplate.objects.create(
            key=key,
            is_active=True,
            **hostile_wording(key, registry.preview_context(key, eoi)),
        )


@pytest.fixture
def people(open_call, applicant):
    """Co-chairs and an office member with authenticators, recovery codes, sessions
    and a second address; another applicant; someone who wants the programme's dates."""
    made = {}
    for code, role, email in [
        ("CP", "business_co_chair", "cp-chair@example.org"),
        ("T", "police_co_chair", "t-chair@example.org"),
    ]:
        chair = UserFactory(email=email, full_name=f"Chair {code}")
        Workstream.objects.filter(code=code).update(**{role: chair})
        made[email] = chair
    office = UserFactory(email="pco@example.org", is_staff=True, full_name="Office Person")
    office.groups.add(Group.objects.get_or_create(name="Coordination office")[0])
    made["pco@example.org"] = office
    for user in [*made.values(), applicant]:
        if not hasattr(user, "totp_secret"):
            give_two_factor(user)
        RecoveryCodes.activate(user)
        UserSession.objects.create(
            user=user, ip="192.0.2.1", session_key=f"sessionkey{user.pk:030}", user_agent="x"
        )
        EmailAddress.objects.create(user=user, email=f"second-{user.email}", verified=False)
    other = UserFactory(
        email="other-applicant@example.org", full_name="Other Applicant", stakeholder=True
    )
    ExpressionOfInterest.objects.create(applicant=other, call=open_call, status="draft")
    keen = UserFactory(email="keen@example.org", full_name="Alex Applicant", stakeholder=True)
    User.objects.filter(pk=keen.pk).update(programme_reminders=True)
    return made


def test_no_notice_reaches_a_secret(applicant_client, complete_draft, people, open_call):
    office = people["pco@example.org"]
    client = Client()
    login_with_two_factor(client, office)  # a live Django session for the office too
    activate_hostile_wording(complete_draft)

    # Every notice, queued by the code that sends it.
    applicant_client.post(f"/applications/{complete_draft.reference}/check-your-answers/")
    deliver_outbox()  # an EOI's notices are rendered, with this wording, when they are sent
    eoi = ExpressionOfInterest.objects.get(pk=complete_draft.pk)
    eoi._history_user = office
    eoi.save()
    queue_closing_reminders(now=open_call.closes - 7 * DAY)
    today = open_call.opens.astimezone(LONDON).date()
    Milestone.objects.create(
        date=today + 7 * DAY, title="Teams formed", audiences=["co_chairs", "applicants"]
    )
    queue_milestone_reminders(now=datetime.datetime.combine(today, datetime.time(9), tzinfo=LONDON))
    ask_question(
        Project.objects.get(code="CP2"),
        name="Alex Applicant",
        email=APPLICANT,
        question="When?",
        senders=["192.0.2.2"],
        asked_by=complete_draft.applicant,
    )
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(status="shortlisted")
    eoi.refresh_from_db()
    decisions.stage(eoi, Project.objects.get(code="CP2"), Decision.Outcome.ACCEPT, by=office)
    decisions.apply([eoi.pk], by=office)
    Call.objects.filter(pk=open_call.pk).update(
        opens=open_call.closes - 60 * DAY, closes=open_call.opens - DAY
    )
    queue_closing_notices()
    services.withdraw(eoi)  # placed in CP2's team: its co-chairs and the office are told
    transport = Workstream.objects.get(code="T")
    transport.business_co_chair = people["cp-chair@example.org"]
    transport.save()  # an appointment: the new co-chair is told

    secrets = _secrets()
    notices = list(Notice.objects.all())
    assert sorted({notice.subject.split(" ")[2] for notice in notices}) == sorted(registry.TYPES)
    for notice in notices:
        allowed = {notice.recipient, CONTACT, *_about(notice)}
        _assert_nothing_leaks(
            notice.subject + notice.body_text + notice.body_html, secrets, allowed
        )

    # And every notice's preview in the admin.
    for template in NoticeTemplate.objects.all():
        response = client.get(
            reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]),
            {"eoi": eoi.reference},
        )
        assert response.status_code == 200
        assert "error" not in response.context, response.context["error"]
        rendered = "".join(response.context[part] for part in ("subject", "body_text", "body_html"))
        _assert_nothing_leaks(rendered, secrets, {CONTACT, APPLICANT, REFEREE})
        page = response.content.decode()
        assert [secret for secret in secrets if secret in page] == []


def _about(notice):
    """The addresses a notice is rightly about besides its recipient's: the
    applicant's own answers (their referee), the question's asker."""
    if notice.reason == "eoi_confirmation":
        return {REFEREE}
    if notice.reason == "project_question":
        return {APPLICANT}
    return set()


def _secrets():
    found = set()
    for authenticator in Authenticator.objects.all():
        found |= {authenticator.data.get("secret"), authenticator.data.get("seed")}
    found |= set(UserSession.objects.values_list("session_key", flat=True))
    found |= set(Session.objects.values_list("session_key", flat=True))
    found |= set(User.objects.values_list("password", flat=True))
    found.discard(None)
    assert len(found) >= 15  # secrets, seeds and sessions of four people, and passwords
    return found


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _assert_nothing_leaks(rendered, secrets, allowed):
    # Every attempt rendered nothing.
    assert set(re.findall(r"\[\[(.*?)\]\]", rendered, re.DOTALL)) == {""}
    assert [secret for secret in secrets if secret in rendered] == []
    assert set(EMAIL.findall(rendered)) <= allowed
