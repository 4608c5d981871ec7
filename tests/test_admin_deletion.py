"""Nothing that applicants' records refer to is deleted in the admin: archived instead.

Generated from the admin site's registry: a world with every kind of
applicant's record (an accepted EOI with its interests, conflict, checks,
decision, team place, recommendation and override) is built; every object of
every registered model that such a record refers to (by a relation that would
cascade or protect, directly or through what protects it: a workstream through
its projects) must be refused to the office and to superusers alike: no delete
page, no bulk delete. A new model admin, or a new relation, is covered by itself.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models

from participants.admin.kept_records import applicants_records
from participants.models import ExclusionOverride, Recommendation
from projects.models import Project
from projects.services import open_demonstration_call
from tests.factories import (
    ConflictOfInterestFactory,
    DecisionFactory,
    ProjectFactory,
    TeamMembershipFactory,
    UserFactory,
    ValidationCheckFactory,
    WorkstreamFactory,
    applicant_for,
    login_with_two_factor,
)

# Deleting what these point to would take the record with it, or be refused by it.
REACHING = {models.CASCADE, models.PROTECT, models.RESTRICT}


@pytest.fixture
def world(loaded_programme):
    office = UserFactory(email="pco@example.org", office=True)
    call = open_demonstration_call()
    eoi = applicant_for(call, "Ash Lead", "CP1", "lead", status="accepted")
    cp1, sr1 = Project.objects.get(code="CP1"), Project.objects.get(code="SR1")
    DecisionFactory(expression_of_interest=eoi, project=cp1, staged_by=office, applied=True)
    TeamMembershipFactory(project=cp1, member=eoi.applicant, expression_of_interest=eoi)
    conflict = ConflictOfInterestFactory(expression_of_interest=eoi, outcome="excluded")
    conflict.projects.add(sr1)
    conflict.excluded_from.add(sr1)
    ExclusionOverride.objects.create(
        expression_of_interest=eoi, project=sr1, reason="Cleared by the board."
    )
    Recommendation.objects.create(
        expression_of_interest=eoi, project=cp1, co_chair=office, verdict="lead"
    )
    ValidationCheckFactory(expression_of_interest=eoi, recorded_by=office)
    # Nothing refers to these: the office still deletes them.
    spare = ProjectFactory(code="ZZ9", workstream=WorkstreamFactory(code="ZZ", slug="zz"))
    return {"office": office, "spare": spare}


def referenced_rows():
    """{model: {pk}} of every row an applicant's record refers to by a relation that
    would cascade or protect, and of the rows those are protected by, in turn."""
    found = {}
    records = applicants_records()
    frontier = []
    for record in records:
        for field in record._meta.get_fields():
            forward = field.is_relation and not field.auto_created and field.remote_field
            if not forward or field.related_model in records:
                continue
            if not field.many_to_many and field.remote_field.on_delete not in REACHING:
                continue
            pks = set(
                record._default_manager.exclude(**{field.name: None}).values_list(
                    field.name, flat=True
                )
            )
            frontier.append((field.related_model, pks))
    while frontier:
        model, pks = frontier.pop()
        new = pks - found.setdefault(model, set())
        found[model] |= new
        for field in model._meta.get_fields():
            if field.many_to_one and field.remote_field.on_delete in REACHING and new:
                parents = model._default_manager.filter(pk__in=new).values_list(
                    field.name, flat=True
                )
                frontier.append((field.related_model, {pk for pk in parents if pk}))
    return {model: pks for model, pks in found.items() if pks}


def refused_everywhere(client, model, pk):
    """GET the delete page and POST the bulk delete, confirmed: both refused."""
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    page = client.get(f"{base}{pk}/delete/")
    client.post(base, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [pk], "post": "yes"})
    client.post(f"{base}{pk}/delete/", {"post": "yes"})
    return page.status_code != 200 and model._default_manager.filter(pk=pk).exists()


@pytest.mark.parametrize("role", ["office", "superuser"])
def test_nothing_applicants_records_refer_to_is_deleted(client, world, role):
    user = world["office"] if role == "office" else UserFactory(superuser=True)
    login_with_two_factor(client, user)
    registered = set(admin.site._registry)
    rows = {model: pks for model, pks in referenced_rows().items() if model in registered}
    labels = sorted(model._meta.label_lower for model in rows)
    # The walk reaches what the office was offered to delete.
    assert {"participants.user", "projects.call", "projects.project"} <= set(labels)
    assert "workstreams.workstream" in labels

    deleted = [
        f"{model._meta.label_lower}:{pk}"
        for model, pks in rows.items()
        for pk in sorted(pks)
        if not refused_everywhere(client, model, pk)
    ]

    assert deleted == []


def test_the_change_page_offers_archive_not_delete(client, world):
    login_with_two_factor(client, world["office"])
    cp1 = Project.objects.get(code="CP1")

    html = client.get(f"/admin/projects/project/{cp1.pk}/change/").content.decode()

    assert 'class="deletelink"' not in html
    assert 'name="archived"' in html


def test_the_bulk_delete_says_why_and_to_archive(client, world):
    login_with_two_factor(client, world["office"])
    cp1 = Project.objects.get(code="CP1")

    page = client.post(
        "/admin/projects/project/",
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [cp1.pk], "post": "yes"},
    )

    html = page.content.decode()
    assert "expressions of interest, decisions or project teams refer to it. Archive it" in html
    assert Project.objects.filter(pk=cp1.pk).exists()


def test_the_office_still_deletes_what_nothing_refers_to(client, world):
    login_with_two_factor(client, world["office"])
    spare = world["spare"]

    assert client.get(f"/admin/projects/project/{spare.pk}/delete/").status_code == 200
    client.post(f"/admin/projects/project/{spare.pk}/delete/", {"post": "yes"})

    assert not Project.objects.filter(pk=spare.pk).exists()


def test_the_office_archives_a_project_and_the_public_pages_hide_it(client, world):
    login_with_two_factor(client, world["office"])
    cp1 = Project.objects.get(code="CP1")

    client.post(
        "/admin/projects/project/",
        {"action": "archive_selected", ACTION_CHECKBOX_NAME: [cp1.pk]},
    )

    assert Project.objects.get(pk=cp1.pk).archived
    client.logout()
    assert client.get("/projects/cp1/").status_code == 404
    assert "CP1" not in client.get("/projects/").content.decode()
