"""The expression of interest's sections, as steps in the manner of pretalx's cfp/flow.

Each section is a class that owns its question page: its slug (in the page's
address), its title, its form, its templates (the page, and its part of "Check
your answers"), what it needs first, whether it is complete, and how its answers
are saved. SECTIONS lists them once, in the order of the task list; the task list,
the section page, "Check your answers" and the refusal of an incomplete EOI on
sending all go through it. To add a section, write one class here and list it.
"""

from django.urls import reverse

from . import answers
from .forms.eoi_about_you import DetailsForm, OrganisationForm
from .forms.eoi_conflicts import ConflictsQuestionForm
from .forms.eoi_declarations import DeclarationsForm
from .forms.eoi_projects import EXPERIENCE_MAX_LENGTH, ProjectsForm
from .forms.eoi_validation import ValidationForm


class Step:
    """A question page of the EOI. Subclasses set the attributes and the rule."""

    slug = ""
    title = ""
    form_class = None
    template_name = ""  # the question page
    answers_template = ""  # this section's part of "Check your answers"
    needs = ()  # slugs of the sections that must be complete before this one starts

    def is_complete(self, eoi):
        raise NotImplementedError

    def status(self, eoi, completed):
        if self.slug in completed:
            return "completed"
        if any(need not in completed for need in self.needs):
            return "cannot_start"
        return "incomplete"

    def get_form(self, data, eoi, request):
        """The page's form, bound to `data` (None on a GET)."""
        return self.form_class(data, instance=eoi)

    def save(self, eoi, form):
        """Save the valid form's answers; return the saved EOI. Raises CallNotOpen."""
        return answers.save_section(eoi, form, self.slug)

    def redirect_after_save(self, eoi, form):
        """Where to go instead of the next section, or None for the next section."""
        return None

    def forget_rejected_answers(self, eoi):
        """A rejected ModelForm has set its answers on the EOI: show the saved ones again."""
        eoi.refresh_from_db()

    def page_context(self, eoi):
        """What the page shows besides the EOI, its form and this step."""
        return {}


class YourDetails(Step):
    slug = "your-details"
    title = "Your details"
    form_class = DetailsForm
    template_name = "participants/section_your_details.html"
    answers_template = "participants/answers/your_details.html"

    def is_complete(self, eoi):
        return eoi.details_complete()


class YourOrganisation(Step):
    slug = "your-organisation"
    title = "Your organisation"
    form_class = OrganisationForm
    template_name = "participants/section_your_organisation.html"
    answers_template = "participants/answers/your_organisation.html"

    def is_complete(self, eoi):
        return eoi.organisation_complete()


class Validation(Step):
    slug = "validation"
    title = "How we can validate you"
    form_class = ValidationForm
    template_name = "participants/section_validation.html"
    answers_template = "participants/answers/validation.html"

    def is_complete(self, eoi):
        return eoi.validation_complete()


class Projects(Step):
    """The call's projects: not a ModelForm, as each chosen project is a row of its own."""

    slug = "projects"
    title = "Projects"
    form_class = ProjectsForm
    template_name = "participants/section_projects.html"
    answers_template = "participants/answers/projects.html"

    def is_complete(self, eoi):
        return eoi.projects_complete()

    def get_form(self, data, eoi, request):
        # ?add=<code> (from a project's page) ticks that project, once, on a GET.
        initial = {}
        add = request.GET.get("add", "")
        if add and request.method == "GET":
            chosen = list(eoi.project_interests.values_list("project__code", flat=True))
            codes = set(eoi.call.projects.values_list("code", flat=True))
            match = next((code for code in codes if code.lower() == add.lower()), None)
            if match and match not in chosen:
                initial["projects"] = [*chosen, match]
        return ProjectsForm(data, call=eoi.call, instance=eoi, initial=initial)

    def save(self, eoi, form):
        return answers.save_projects(eoi, form)

    def forget_rejected_answers(self, eoi):
        pass  # the form keeps its answers to itself until saved

    def page_context(self, eoi):
        return {"experience_max": EXPERIENCE_MAX_LENGTH}


class ConflictsOfInterest(Step):
    """A yes/no question; each declaration is added on a page of its own."""

    slug = "conflicts-of-interest"
    title = "Conflicts of interest"
    form_class = ConflictsQuestionForm
    template_name = "participants/section_conflicts_of_interest.html"
    answers_template = "participants/answers/conflicts_of_interest.html"
    needs = ("projects",)  # a declaration names the projects it touches

    def is_complete(self, eoi):
        return eoi.conflicts_complete()

    def get_form(self, data, eoi, request):
        initial = {}
        if eoi.no_conflicts is not None:
            initial["has_conflicts"] = "no" if eoi.no_conflicts else "yes"
        return ConflictsQuestionForm(data, initial=initial)

    def save(self, eoi, form):
        return answers.answer_conflicts_question(eoi, self._has_conflicts(form))

    def redirect_after_save(self, eoi, form):
        # "Yes" with nothing declared yet goes straight to declaring one.
        if self._has_conflicts(form) and not eoi.conflicts.exists():
            return reverse("participants:add_conflict", kwargs={"reference": eoi.reference})
        return None

    def forget_rejected_answers(self, eoi):
        pass  # not a ModelForm: the EOI is untouched

    def page_context(self, eoi):
        return {"conflicts": eoi.conflicts.prefetch_related("projects")}

    @staticmethod
    def _has_conflicts(form):
        return form.cleaned_data["has_conflicts"] == "yes"


class Declarations(Step):
    slug = "declarations"
    title = "Declarations"
    form_class = DeclarationsForm
    template_name = "participants/section_declarations.html"
    answers_template = "participants/answers/declarations.html"

    def is_complete(self, eoi):
        return eoi.declarations_complete()

    def get_form(self, data, eoi, request):
        return DeclarationsForm(data, instance=eoi, call=eoi.call)


# The task list's order. A new section: one class above, one line here.
SECTIONS = [
    YourDetails(),
    YourOrganisation(),
    Validation(),
    Projects(),
    ConflictsOfInterest(),
    Declarations(),
]
SECTIONS_BY_SLUG = {step.slug: step for step in SECTIONS}


def completed_sections(eoi):
    return {step.slug for step in SECTIONS if step.is_complete(eoi)}


def task_list(eoi):
    """Each step with its status, then "Check and send", which needs them all."""
    completed = completed_sections(eoi)
    rows = [{"section": step, "status": step.status(eoi, completed)} for step in SECTIONS]
    all_done = len(completed) == len(SECTIONS)
    return rows, all_done


def next_section(eoi, after):
    """The first step after `after` (a slug) that is not complete and can start, or None."""
    completed = completed_sections(eoi)
    slugs = [step.slug for step in SECTIONS]
    for slug in slugs[slugs.index(after) + 1 :] + slugs[: slugs.index(after)]:
        if (
            slug not in completed
            and SECTIONS_BY_SLUG[slug].status(eoi, completed) != "cannot_start"
        ):
            return SECTIONS_BY_SLUG[slug]
    return None
