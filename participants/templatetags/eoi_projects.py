# ruff: noqa: E501 (the markup is the template's, line for line, so that it stays byte for byte the same)
"""The "Projects" page's per-project questions, rendered in Python.

Each of the call's projects has a conditional reveal with three questions
(role radios, an experience textarea, a preference select of as many options
as there are projects): 25 projects made the template loop over some 1,400
nodes and 625 options a render. This tag writes the same markup, byte for
byte (tests/participants/test_eoi_projects_markup.py compares it with the
template it replaced), from each bound field's value, errors and id.
"""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

register = template.Library()

_ERROR = '<p id="{id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {message}</p>'


def _errors(field_id, errors):
    return "".join(_ERROR.format(id=field_id, message=esc(message)) for message in errors)


def _group(errors, extra=""):
    return f'<div class="govuk-form-group{extra}{" govuk-form-group--error" if errors else ""}"'


def _role(field):
    fid, name, errors = esc(field.auto_id), esc(field.html_name), field.errors
    value = field.value()
    chosen = "" if value is None else str(value)
    described = f' aria-describedby="{fid}-error"' if errors else ""
    radios = "".join(
        f"""
                    <div class="govuk-radios__item">
                      <input class="govuk-radios__input" id="{fid}_{n}" name="{name}" type="radio" value="{esc(choice)}"{" checked" if value is not None and str(choice) == chosen else ""}>
                      <label class="govuk-label govuk-radios__label" for="{fid}_{n}">{esc(label)}</label>
                    </div>
                    """
        for n, (choice, label) in enumerate(field.field.choices)
    )
    return f"""
              {_group(errors)}>
                <fieldset class="govuk-fieldset"{described}>
                  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{esc(field.label)}</legend>
                  {_errors(fid, errors)}
                  <div class="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
                    {radios}
                  </div>
                </fieldset>
              </div>
              """


def _experience(field, maximum):
    fid, name, errors = esc(field.auto_id), esc(field.html_name), field.errors
    value = field.value()
    maximum = esc(maximum)
    return f"""
              {_group(errors, " govuk-character-count")} data-module="govuk-character-count" data-maxlength="{maximum}">
                <label class="govuk-label govuk-label--s" for="{fid}">{esc(field.label)}</label>
                <div id="{fid}-hint" class="govuk-hint">What you have done that bears on this project.</div>
                {_errors(fid, errors)}
                <textarea class="govuk-textarea govuk-js-character-count{" govuk-textarea--error" if errors else ""}" id="{fid}" name="{name}" rows="5" aria-describedby="{fid}-info {fid}-hint{f" {fid}-error" if errors else ""}">{esc("" if value is None else value)}</textarea>
                <div id="{fid}-info" class="govuk-hint govuk-character-count__message">You can enter up to {maximum} characters</div>
              </div>
              """


def _preference(field):
    fid, name, errors = esc(field.auto_id), esc(field.html_name), field.errors
    chosen = str(field.value())
    options = "".join(
        f'<option value="{esc(choice)}"{" selected" if chosen == str(choice) else ""}>{esc(label)}</option>'
        for choice, label in field.field.choices
    )
    return f"""
              {_group(errors)}>
                <label class="govuk-label govuk-label--s" for="{fid}">{esc(field.label)}</label>
                <div id="{fid}-hint" class="govuk-hint">1 is the project you most want to work on. Leave it if you choose only one.</div>
                {_errors(fid, errors)}
                <select class="govuk-select{" govuk-select--error" if errors else ""}" id="{fid}" name="{name}" aria-describedby="{fid}-hint{f" {fid}-error" if errors else ""}">
                  <option value="">Choose</option>
                  {options}
                </select>
              </div>
              """


@register.simple_tag
def project_questions(item, experience_max):
    """One project's role, experience and preference questions (the reveal's inside)."""
    # The three blocks are separated as the template's {% with %} blocks were.
    parts = (
        _role(item["role"]),
        _experience(item["experience"], experience_max),
        _preference(item["preference"]),
    )
    return mark_safe("\n              ".join(parts))
