"""The EOI's steps (participants/sections.py): each is whole, and listed once."""

from django.template.loader import get_template

from participants.sections import SECTIONS, SECTIONS_BY_SLUG, Step


def test_each_step_is_listed_once_under_its_own_slug():
    assert len(SECTIONS_BY_SLUG) == len(SECTIONS)
    assert all(SECTIONS_BY_SLUG[step.slug] is step for step in SECTIONS)


def test_each_step_has_a_title_a_form_its_templates_and_its_own_rule():
    for step in SECTIONS:
        assert step.title and step.form_class, step.slug
        get_template(step.template_name)
        get_template(step.answers_template)
        assert type(step).is_complete is not Step.is_complete, step.slug


def test_a_step_needs_only_steps_listed_before_it():
    seen = set()
    for step in SECTIONS:
        assert set(step.needs) <= seen, step.slug
        seen.add(step.slug)
