"""The Call to Action's words as a web page shows them."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from projects import programme

register = template.Library()

# The document says its projects' details are "shown at the end of this message";
# on the portal they are the projects' pages.
PROJECTS_PHRASE = "details of the projects"


@register.filter
def version_and_date(version):
    """ "Version 3 – 08052018" as "Version 3, 8 May 2018"."""
    return programme.version_and_date(version)


@register.filter
def link_project_details(html, url):
    """Paragraphs already made safe (govuk_paragraphs), with the document's words
    "details of the projects" a link to `url`, the list of projects."""
    if PROJECTS_PHRASE not in html:
        return html
    link = f'<a class="govuk-link" href="{escape(url)}">{PROJECTS_PHRASE}</a>'
    return mark_safe(str(html).replace(PROJECTS_PHRASE, link, 1))
