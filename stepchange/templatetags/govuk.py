"""Template filters that write dates and times the GOV.UK way, in Europe/London."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def govuk_time(value):
    """11:59pm, 9am, midday, midnight."""
    if value is None:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    pattern = "g" if value.minute == 0 else "g:i"
    return date_format(value, pattern) + ("am" if value.hour < 12 else "pm")


@register.filter
def govuk_date(value):
    """Friday 25 May 2018."""
    if value is None:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "l j F Y")


@register.filter
def govuk_datetime(value):
    """11:59pm on Friday 25 May 2018."""
    if value is None:
        return ""
    return f"{govuk_time(value)} on {govuk_date(value)}"


@register.filter(needs_autoescape=True)
def govuk_paragraphs(value, autoescape=True):
    """Text with blank lines between paragraphs, as GOV.UK body paragraphs."""
    from django.utils.html import conditional_escape, format_html_join
    from django.utils.safestring import mark_safe

    escape = conditional_escape if autoescape else (lambda text: text)
    paragraphs = [p.strip() for p in str(value or "").split("\n\n") if p.strip()]
    return format_html_join(
        "\n", '<p class="govuk-body">{}</p>', ((mark_safe(escape(p)),) for p in paragraphs)
    )
