"""The expression of interest's "Projects" page: which projects, in which role, how many hours."""

from django import forms
from django.utils.choices import BaseChoiceIterator

from stepchange.plain_text import PlainTextForm

from ..models import ProjectInterest

EXPERIENCE_MAX_LENGTH = 1500


class _Choices(BaseChoiceIterator):
    """Choices already in Django's normal form: a field takes them as they are,
    without normalising them again for each of the page's 25 projects."""

    def __init__(self, choices):
        self.choices = list(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


ROLE_CHOICES = _Choices(ProjectInterest.Role.choices)


class ProjectsForm(PlainTextForm):
    """Which of the call's projects, in which role, with what experience and preference.

    The choices are the call's projects only, so a tampered project id is
    refused; the per-project questions are fields named after each project's
    code, shown in a conditional reveal under its checkbox.
    """

    projects = forms.MultipleChoiceField(
        label="Which projects are you interested in?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one project",
            "invalid_choice": "Select projects from this call's list",
        },
    )
    hours_per_month = forms.IntegerField(
        label="How many hours a month could you give?",
        help_text="Participation is voluntary and unfunded. An estimate is fine.",
        min_value=1,
        max_value=200,
        error_messages={
            "required": "Enter how many hours a month you could give",
            "invalid": "Enter the hours as a number, like 8",
            "min_value": "Enter at least 1 hour a month",
            "max_value": "Enter no more than 200 hours a month",
        },
    )

    def __init__(self, *args, call, instance, **kwargs):
        self.call = call
        self.instance = instance
        # An archived project is offered no more, except to an EOI that already chose it.
        chosen = call.projects.filter(interests__expression_of_interest=instance)
        offered = call.projects.listed() | chosen
        self.call_projects = list(offered.distinct().select_related("workstream"))
        existing = {
            interest.project.code: interest for interest in instance.project_interests.all()
        }
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("projects", list(existing))
        initial.setdefault("hours_per_month", instance.hours_per_month)
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(p.code, p.code) for p in self.call_projects]
        preferences = _Choices((n, str(n)) for n in range(1, len(self.call_projects) + 1))
        for project in self.call_projects:
            interest = existing.get(project.code)
            code = project.code
            self.fields[f"role_{code}"] = forms.ChoiceField(
                label=f"Your role in {code}",
                choices=ROLE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=interest.role if interest else None,
            )
            self.fields[f"experience_{code}"] = forms.CharField(
                label=f"Your relevant experience for {code}",
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=EXPERIENCE_MAX_LENGTH,
                required=False,
                initial=interest.experience if interest else "",
                error_messages={
                    "max_length": f"Your experience for {code} must be {EXPERIENCE_MAX_LENGTH} "
                    "characters or fewer"
                },
            )
            self.fields[f"preference_{code}"] = forms.TypedChoiceField(
                label=f"Your preference for {code}",
                choices=preferences,
                coerce=int,
                required=False,
                initial=interest.preference if interest else None,
            )

    def clean_projects(self):
        codes = self.cleaned_data["projects"]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError("Select each project only once")
        return codes

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("projects") or []
        preferences = {}
        for code in chosen:
            if not cleaned.get(f"role_{code}"):
                self.add_error(f"role_{code}", f"Select your role in {code}")
            experience = (cleaned.get(f"experience_{code}") or "").strip()
            if not experience and f"experience_{code}" not in self.errors:
                self.add_error(f"experience_{code}", f"Enter your relevant experience for {code}")
            preference = cleaned.get(f"preference_{code}")
            if preference is None or preference in ("", 0):
                # One project needs no ranking; several do.
                if len(chosen) == 1:
                    cleaned[f"preference_{code}"] = 1
                else:
                    self.add_error(f"preference_{code}", f"Select your preference for {code}")
            elif preference > len(chosen):
                self.add_error(
                    f"preference_{code}",
                    f"Your preference for {code} must be between 1 and {len(chosen)}",
                )
            else:
                preferences.setdefault(preference, []).append(code)
        for codes in preferences.values():
            for code in codes if len(codes) > 1 else []:
                others = ", ".join(other for other in codes if other != code)
                self.add_error(
                    f"preference_{code}", f"Give {code} a different preference from {others}"
                )
        return cleaned

    def grouped_projects(self):
        """The call's projects by workstream, each with its bound fields, for the template."""
        groups = {}
        for project in self.call_projects:
            code = project.code
            groups.setdefault(project.workstream, []).append(
                {
                    "project": project,
                    "checked": code in (self["projects"].value() or []),
                    "role": self[f"role_{code}"],
                    "experience": self[f"experience_{code}"],
                    "preference": self[f"preference_{code}"],
                }
            )
        return list(groups.items())

    def error_list(self):
        """(field id, message) for the error summary, in the page's order."""
        order = ["projects"]
        for project in self.call_projects:
            order += [
                f"role_{project.code}",
                f"experience_{project.code}",
                f"preference_{project.code}",
            ]
        order.append("hours_per_month")
        items = []
        for name in order:
            for message in self.errors.get(name, []):
                anchor = f"id_{name}"
                if name == "projects":
                    anchor = (
                        f"id_projects_{self.call_projects[0].code}"
                        if self.call_projects
                        else "id_projects"
                    )
                elif name.startswith("role_"):
                    anchor = f"id_{name}_0"
                items.append((anchor, message))
        for message in self.non_field_errors():
            items.append(("id_projects", message))
        return items

    def interests(self):
        """The chosen projects as unsaved (project, role, experience, preference) rows."""
        by_code = {project.code: project for project in self.call_projects}
        return [
            {
                "project": by_code[code],
                "role": self.cleaned_data[f"role_{code}"],
                "experience": self.cleaned_data[f"experience_{code}"].strip(),
                "preference": self.cleaned_data[f"preference_{code}"],
            }
            for code in self.cleaned_data["projects"]
        ]
