"""The task list: its sections, their question pages, and what each needs first."""

from dataclasses import dataclass

from . import forms


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    form_class: type | None
    is_complete: str  # the ExpressionOfInterest method that says so
    needs: tuple = ()  # slugs of sections that must be complete before this one starts

    def status(self, eoi, completed):
        if self.slug in completed:
            return "completed"
        if any(need not in completed for need in self.needs):
            return "cannot_start"
        return "incomplete"


SECTIONS = [
    Section("your-details", "Your details", forms.DetailsForm, "details_complete"),
    Section(
        "your-organisation", "Your organisation", forms.OrganisationForm, "organisation_complete"
    ),
    Section("validation", "How we can validate you", forms.ValidationForm, "validation_complete"),
    Section("projects", "Projects", forms.ProjectsForm, "projects_complete"),
    Section(
        "conflicts-of-interest",
        "Conflicts of interest",
        None,
        "conflicts_complete",
        needs=("projects",),
    ),
    Section("declarations", "Declarations", forms.DeclarationsForm, "declarations_complete"),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def completed_sections(eoi):
    return {section.slug for section in SECTIONS if getattr(eoi, section.is_complete)()}


def task_list(eoi):
    """Each section with its status, then "Check and send", which needs them all."""
    completed = completed_sections(eoi)
    rows = [{"section": section, "status": section.status(eoi, completed)} for section in SECTIONS]
    all_done = len(completed) == len(SECTIONS)
    return rows, all_done


def next_section(eoi, after):
    """The first section after `after` that is not complete, or None."""
    completed = completed_sections(eoi)
    slugs = [section.slug for section in SECTIONS]
    for slug in slugs[slugs.index(after) + 1 :] + slugs[: slugs.index(after)]:
        if (
            slug not in completed
            and SECTIONS_BY_SLUG[slug].status(eoi, completed) != "cannot_start"
        ):
            return SECTIONS_BY_SLUG[slug]
    return None
