"""Who may do what in the admin: every registered ModelAdmin, and the account pages.

Only superusers give power (staff and superuser status, groups, permissions)
or take over an account (its email address, its password, a staff account);
the coordination office deactivates stakeholders, saying why. Each ModelAdmin
of the admin site's registry has a row below, so a new one fails until its
row says what the office and the board may do there.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django_celery_beat.models import PeriodicTask

from participants.models import AccountStatusChange, ExpressionOfInterest, User
from tests.admin_forms import change_form_data
from tests.factories import CallFactory, UserFactory, login_with_two_factor

OFFICE, BOARD = "Coordination office", "Programme board"
ALL = "view add change delete"
# What each group may do with each registered model's admin (its list, not one object).
REGISTRY = {
    "auth.group": {OFFICE: "", BOARD: ""},
    "account.emailaddress": {OFFICE: "", BOARD: ""},
    "mfa.authenticator": {OFFICE: "", BOARD: ""},
    "usersessions.usersession": {OFFICE: "", BOARD: ""},
    "django_celery_beat.periodictask": {OFFICE: "view change", BOARD: ""},
    "django_celery_beat.clockedschedule": {OFFICE: "", BOARD: ""},
    "django_celery_beat.crontabschedule": {OFFICE: "", BOARD: ""},
    "django_celery_beat.solarschedule": {OFFICE: "", BOARD: ""},
    "django_celery_beat.intervalschedule": {OFFICE: "", BOARD: ""},
    "stepchange.notice": {OFFICE: "view", BOARD: ""},
    "stepchange.heartbeat": {OFFICE: "view", BOARD: ""},
    "stepchange.noticetemplate": {OFFICE: ALL, BOARD: ""},
    "participants.personaldataaccess": {OFFICE: "view", BOARD: ""},
    "participants.decision": {OFFICE: "view delete", BOARD: "view"},
    "participants.teammembership": {OFFICE: "view delete", BOARD: "view"},
    "participants.recommendation": {OFFICE: "view", BOARD: "view"},
    "participants.cochairinterest": {OFFICE: ALL, BOARD: "view"},
    "participants.exportlog": {OFFICE: "view", BOARD: ""},
    "participants.expressionofinterest": {OFFICE: "view change", BOARD: "view"},
    "participants.conflictofinterest": {OFFICE: "view", BOARD: "view"},
    "participants.validationcheck": {OFFICE: "view", BOARD: "view"},
    # Change: stakeholders' accounts only (test_staff_accounts_are_changed_by_superusers_only).
    "participants.user": {OFFICE: "view change", BOARD: "view"},
    "workstreams.workstream": {OFFICE: ALL, BOARD: "view"},
    "projects.project": {OFFICE: ALL, BOARD: "view"},
    "projects.call": {OFFICE: ALL, BOARD: "view"},
    "projects.milestone": {OFFICE: ALL, BOARD: "view"},
    "projects.keyactivity": {OFFICE: ALL, BOARD: "view"},
    "projects.projectquestion": {OFFICE: "view change", BOARD: "view"},
}
# Superusers only, whatever permissions a group is given.
ACCOUNT_SECURITY = ["auth.group", "account.emailaddress", "mfa.authenticator"]
ACCOUNT_SECURITY += ["usersessions.usersession"]


@pytest.fixture
def people(db):
    return {
        OFFICE: UserFactory(email="pco@example.org", office=True),
        BOARD: UserFactory(email="board@example.org", board=True),
        "colleague": UserFactory(email="colleague@example.org", office=True),
        "superuser": UserFactory(email="root@example.org", superuser=True),
        "stakeholder": UserFactory(email="stakeholder@example.org"),
    }


def may(model_admin, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    checks = {
        "view": model_admin.has_view_permission(request),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }
    return " ".join(action for action, allowed in checks.items() if allowed)


def test_every_registered_admin_has_a_row():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert sorted(registered - set(REGISTRY)) == []
    assert sorted(set(REGISTRY) - registered) == []


def test_each_group_may_do_what_its_row_says(people):
    differences = [
        (model._meta.label_lower, group, may(model_admin, people[group]), expected)
        for model, model_admin in admin.site._registry.items()
        for group, expected in REGISTRY[model._meta.label_lower].items()
        if may(model_admin, people[group]) != expected
    ]
    assert differences == []


def test_account_security_is_for_superusers_whatever_a_group_is_given(people):
    office = people[OFFICE]
    for label in ACCOUNT_SECURITY:
        app_label, model_name = label.split(".")
        office.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model_name
            )
        )
    office = User.objects.get(pk=office.pk)  # without the cached permissions
    models = {model._meta.label_lower: (model, ma) for model, ma in admin.site._registry.items()}

    assert {label: may(models[label][1], office) for label in ACCOUNT_SECURITY} == dict.fromkeys(
        ACCOUNT_SECURITY, ""
    )
    assert {label: may(models[label][1], people["superuser"]) for label in ACCOUNT_SECURITY} == (
        dict.fromkeys(ACCOUNT_SECURITY, ALL)
    )


# ---------------------------------------------------------------------------
# Accounts: the privileged fields, the password, adding, deactivating


def state(user):
    user = User.objects.get(pk=user.pk)
    return {
        "email": user.email,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_active": user.is_active,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
        "password": user.password,
    }


def privileged_changes():
    return {
        "email": "attacker@evil.example",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": list(Group.objects.values_list("pk", flat=True)),
        "user_permissions": list(
            Permission.objects.filter(
                codename__in=["delete_expressionofinterest", "change_group", "add_emailaddress"]
            ).values_list("pk", flat=True)
        ),
        "password": "pbkdf2_sha256$1$salt$forged",
    }


def change_url(user):
    return f"/admin/participants/user/{user.pk}/change/"


def password_url(user):
    return f"/admin/participants/user/{user.pk}/password/"


NEW_PASSWORD = {
    "usable_password": "true",
    "password1": "a-new-pw-x9q2",
    "password2": "a-new-pw-x9q2",
}


@pytest.mark.parametrize("role", [OFFICE, BOARD])
@pytest.mark.parametrize("target", ["self", "stakeholder", "colleague", "superuser"])
def test_staff_cannot_change_privileges_email_or_password(client, people, role, target):
    actor = people[role]
    person = actor if target == "self" else people[target]
    before = state(person)
    login_with_two_factor(client, actor)

    page = client.get(change_url(person))
    response = client.post(change_url(person), {**change_form_data(page), **privileged_changes()})
    password = client.post(password_url(person), NEW_PASSWORD)

    assert state(person) == before
    assert (page.status_code, password.status_code) == (200, 403)
    assert response.status_code in (302, 403)
    assert client.get(password_url(person)).status_code == 403
    assert "password/" not in page.content.decode()  # no link to set the password


def test_the_superuser_changes_privileges_email_and_password(client, people):
    person = people["stakeholder"]
    login_with_two_factor(client, people["superuser"])
    page = client.get(change_url(person))
    changes = privileged_changes()
    del changes["password"]

    response = client.post(change_url(person), {**change_form_data(page), **changes})
    password = client.post(password_url(person), NEW_PASSWORD)

    assert (response.status_code, password.status_code) == (302, 302), (
        response.context and response.context["adminform"].form.errors
    )
    after = state(person)
    assert (after["email"], after["is_staff"], after["is_superuser"]) == (
        "attacker@evil.example",
        True,
        True,
    )
    assert after["groups"] == sorted(Group.objects.values_list("name", flat=True))
    assert after["user_permissions"] == [
        "add_emailaddress",
        "change_group",
        "delete_expressionofinterest",
    ]
    assert User.objects.get(pk=person.pk).check_password("a-new-pw-x9q2")


@pytest.mark.parametrize("role", [OFFICE, BOARD])
def test_only_superusers_add_accounts(client, people, role):
    login_with_two_factor(client, people[role])
    data = {
        "email": "mine@evil.example",
        "password1": "a-new-pw-x9q2",
        "password2": "a-new-pw-x9q2",
    }

    assert client.get("/admin/participants/user/add/").status_code == 403
    assert client.post("/admin/participants/user/add/", data).status_code == 403
    assert not User.objects.filter(email="mine@evil.example").exists()


@pytest.mark.parametrize("role", [OFFICE, BOARD])
@pytest.mark.parametrize("target", ["stakeholder", "colleague"])
def test_only_superusers_delete_accounts(client, people, role, target):
    login_with_two_factor(client, people[role])
    person = people[target]

    response = client.post(f"/admin/participants/user/{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("target", ["self", "colleague", "superuser"])
def test_staff_accounts_are_changed_by_superusers_only(client, people, target):
    office = people[OFFICE]
    person = office if target == "self" else people[target]
    name = person.full_name
    login_with_two_factor(client, office)
    page = client.get(change_url(person))
    data = {**change_form_data(page), "full_name": "Renamed", "is_active": ""}
    data["deactivation_reason"] = "Left the office."

    response = client.post(change_url(person), data)

    assert response.status_code == 403
    person.refresh_from_db()
    assert (person.full_name, person.is_active) == (name, True)


def test_the_office_deactivates_a_stakeholder_saying_why(client, people):
    office, person = people[OFFICE], people["stakeholder"]
    login_with_two_factor(client, office)
    data = change_form_data(client.get(change_url(person)))
    data.pop("is_active")

    refused = client.post(change_url(person), data)
    person.refresh_from_db()
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "deactivation_reason": ["Say why the account is deactivated."]
    }
    assert person.is_active is True

    accepted = client.post(change_url(person), {**data, "deactivation_reason": "Asked by them."})

    assert accepted.status_code == 302
    person.refresh_from_db()
    assert person.is_active is False
    change = AccountStatusChange.objects.get(user=person)
    assert (change.is_active, change.reason, change.changed_by) == (False, "Asked by them.", office)
    page = client.get(change_url(person)).content.decode()
    assert "Asked by them." in page


def test_the_board_sees_the_reason_and_changes_nothing(client, people):
    person = people["stakeholder"]
    AccountStatusChange.objects.create(
        user=person, is_active=False, reason="Duplicate account.", changed_by=people[OFFICE]
    )
    login_with_two_factor(client, people[BOARD])

    page = client.get(change_url(person))

    assert page.status_code == 200
    assert "Duplicate account." in page.content.decode()
    assert client.post(change_url(person), change_form_data(page)).status_code == 403


# ---------------------------------------------------------------------------
# Other packages' admins: addresses, authenticators, schedules


@pytest.mark.parametrize("role", [OFFICE, BOARD])
def test_staff_add_no_address_to_anyone(client, people, role):
    login_with_two_factor(client, people[role])
    data = {
        "user": people["superuser"].pk,
        "email": "attacker@evil.example",
        "verified": "on",
        "primary": "on",
    }

    response = client.post("/admin/account/emailaddress/add/", data)

    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="attacker@evil.example").exists()
    assert client.get("/admin/mfa/authenticator/").status_code == 403
    assert client.get("/admin/usersessions/usersession/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    # Nor take away anyone's second factor.
    authenticator = Authenticator.objects.get(user=people["superuser"])
    url = f"/admin/mfa/authenticator/{authenticator.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()


def test_the_office_schedules_a_periodic_task_but_does_not_choose_it(client, people):
    task = PeriodicTask.objects.get(name="Retention policy")
    login_with_two_factor(client, people[OFFICE])
    url = f"/admin/django_celery_beat/periodictask/{task.pk}/change/"
    page = client.get(url)
    data = change_form_data(page)
    data.update(
        enabled="",
        description="Paused for the audit.",
        task="participants.queue_closing_notices",
        regtask="participants.queue_closing_notices",
        kwargs='{"call_id": 1}',
        queue="elsewhere",
    )

    response = client.post(url, data)

    assert response.status_code == 302, page.context["adminform"].form.errors
    task.refresh_from_db()
    assert (task.enabled, task.description) == (False, "Paused for the audit.")
    assert (task.task, task.kwargs, task.queue) == (
        "participants.apply_retention_policy",
        "{}",
        None,
    )


@pytest.mark.parametrize("role", [OFFICE, "superuser"])
def test_nobody_moves_an_eoi_to_another_account(client, people, role):
    """Whose answers they are is fixed: another account would read them as its own."""
    owner, taker = people["stakeholder"], UserFactory(email="taker@example.org")
    eoi = ExpressionOfInterest.objects.create(applicant=owner, call=CallFactory())
    url = f"/admin/participants/expressionofinterest/{eoi.pk}/change/"
    login_with_two_factor(client, people[role])
    data = {**change_form_data(client.get(url)), "applicant": str(taker.pk)}

    response = client.post(url, data)

    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.applicant == owner
