"""One form per question page of the expression of interest."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.conf import settings

from stepchange.plain_text import PlainTextForm, PlainTextModelForm

from .models import ConflictOfInterest, ExpressionOfInterest, ProjectInterest
from .validators import normalise_uk_phone, validate_sia_licence

EXPERIENCE_MAX_LENGTH = 1500


def submitted_data(request):
    """The posted data, even when empty: `request.POST or None` would take an
    empty POST for a GET and skip validation."""
    return request.POST if request.method == "POST" else None


def gds_helper(*fields, submit="Save and continue"):
    """A crispy-forms-gds helper for a form the page's own <form> tag wraps
    (and carries the CSRF token for); `submit=None` leaves the button to the page."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    buttons = [Submit("submit", submit)] if submit else []
    helper.layout = Layout(*fields, *buttons)
    return helper


class SectionForm(PlainTextModelForm):
    """A question page: every field it shows is required unless it says otherwise."""

    required_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            self.fields[name].required = True


class DetailsForm(SectionForm):
    required_fields = ("full_name", "job_title", "work_phone", "work_email")

    class Meta:
        model = ExpressionOfInterest
        fields = ["full_name", "job_title", "work_phone", "work_email"]
        labels = {"work_phone": "Work telephone number", "work_email": "Work email address"}
        error_messages = {
            "full_name": {"required": "Enter your full name"},
            "job_title": {"required": "Enter your job title"},
            "work_phone": {"required": "Enter your work telephone number"},
            "work_email": {
                "required": "Enter your work email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_email"].help_text = "We will use this to contact you about the projects."
        self.fields["work_phone"].help_text = "For international numbers include the country code."
        self.helper = gds_helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.text("work_phone", field_width=Fluid.ONE_HALF),
            Field.text("work_email", field_width=Fluid.TWO_THIRDS),
        )
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["work_phone"].widget.attrs.update(autocomplete="tel", type="tel")
        self.fields["work_email"].widget.attrs.update(autocomplete="email", spellcheck="false")

    def clean_work_phone(self):
        return normalise_uk_phone(self.cleaned_data["work_phone"])


class OrganisationForm(SectionForm):
    required_fields = ("organisation_name", "sector")
    website = forms.URLField(
        label="Organisation website (optional)",
        max_length=300,
        assume_scheme="https",
        required=False,
        error_messages={
            "invalid": "Enter a web address in the correct format, like www.example.org"
        },
    )
    memberships = forms.MultipleChoiceField(
        label="Is your organisation a member of either of these?",
        help_text="Select all that apply.",
        choices=[("ieg", "Industry Engagement Group (IEG)"), ("cssc", "CSSC")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ExpressionOfInterest
        fields = ["organisation_name", "sector", "sector_other", "organisation_size", "website"]
        labels = {
            "organisation_name": "Name of your organisation",
            "sector": "Which sector is your organisation in?",
            "sector_other": "Which sector?",
            "organisation_size": "How big is your organisation?",
            "website": "Organisation website (optional)",
        }
        widgets = {
            "sector": forms.RadioSelect,
            "organisation_size": forms.RadioSelect,
        }
        error_messages = {
            "organisation_name": {"required": "Enter the name of your organisation"},
            "sector": {"required": "Select your organisation's sector"},
            "website": {
                "invalid": "Enter a web address in the correct format, like www.example.org"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = ExpressionOfInterest.Sector.choices
        self.fields["organisation_size"].choices = ExpressionOfInterest.OrganisationSize.choices
        self.fields["organisation_size"].help_text = "Answer if you work in the private sector."
        if self.instance.pk:
            self.initial["memberships"] = [
                name
                for name, member in [
                    ("ieg", self.instance.ieg_member),
                    ("cssc", self.instance.cssc_member),
                ]
                if member
            ]
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["website"].widget.attrs.update(autocomplete="url", spellcheck="false")
        self.helper = gds_helper(
            Field.text("organisation_name", field_width=Fluid.TWO_THIRDS),
            Field.radios("sector", legend_size=Size.SMALL),
            Field.text("sector_other", field_width=Fluid.ONE_HALF),
            Field.radios("organisation_size", legend_size=Size.SMALL),
            Field.text("website", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("memberships", legend_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        sector = cleaned.get("sector")
        if (
            sector == ExpressionOfInterest.Sector.OTHER
            and not cleaned.get("sector_other", "").strip()
        ):
            self.add_error("sector_other", "Enter your organisation's sector")
        if sector != ExpressionOfInterest.Sector.OTHER:
            cleaned["sector_other"] = ""
        if sector == ExpressionOfInterest.Sector.PRIVATE and not cleaned.get("organisation_size"):
            self.add_error("organisation_size", "Select how big your organisation is")
        if sector and sector != ExpressionOfInterest.Sector.PRIVATE:
            cleaned["organisation_size"] = ""
        return cleaned

    def save(self, commit=True):
        memberships = self.cleaned_data.get("memberships", [])
        self.instance.ieg_member = "ieg" in memberships
        self.instance.cssc_member = "cssc" in memberships
        self.instance.sector_other = self.cleaned_data.get("sector_other", "")
        self.instance.organisation_size = self.cleaned_data.get("organisation_size", "")
        return super().save(commit)


class ValidationForm(SectionForm):
    required_fields = (
        "referee_name",
        "referee_job_title",
        "referee_email",
        "referee_phone",
        "referee_relationship",
        "referee_consent",
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "referee_name",
            "referee_job_title",
            "referee_email",
            "referee_phone",
            "referee_relationship",
            "referee_consent",
            "vetting",
            "sia_licence_number",
        ]
        labels = {
            "referee_name": "Referee's full name",
            "referee_job_title": "Referee's job title",
            "referee_email": "Referee's work email address",
            "referee_phone": "Referee's work telephone number",
            "referee_relationship": "How does your referee know you?",
            "referee_consent": (
                "I agree that the Programme Coordination Office may contact my referee"
            ),
            "vetting": "What security vetting do you hold? (optional)",
            "sia_licence_number": "SIA licence number (optional)",
        }
        widgets = {"vetting": forms.RadioSelect}
        error_messages = {
            "referee_name": {"required": "Enter your referee's full name"},
            "referee_job_title": {"required": "Enter your referee's job title"},
            "referee_email": {
                "required": "Enter your referee's work email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
            "referee_phone": {"required": "Enter your referee's work telephone number"},
            "referee_relationship": {"required": "Enter how your referee knows you"},
            "referee_consent": {
                "required": "Confirm that we may contact your referee",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "referee_name"
        ].help_text = (
            "Someone at your organisation who can confirm who you are and that you work there."
        )
        self.fields["referee_relationship"].help_text = "For example, line manager."
        self.fields["vetting"].choices = ExpressionOfInterest.Vetting.choices
        self.fields[
            "sia_licence_number"
        ].help_text = "If you work in private security: the 16-digit number on your SIA licence."
        self.fields["referee_email"].widget.attrs["spellcheck"] = "false"
        self.fields["referee_phone"].widget.attrs["type"] = "tel"
        self.helper = gds_helper(
            Field.text("referee_name", field_width=Fluid.TWO_THIRDS),
            Field.text("referee_job_title", field_width=Fluid.TWO_THIRDS),
            Field.text("referee_email", field_width=Fluid.TWO_THIRDS),
            Field.text("referee_phone", field_width=Fluid.ONE_HALF),
            Field.text("referee_relationship", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("referee_consent"),
            Field.radios("vetting", legend_size=Size.SMALL),
            Field.text("sia_licence_number", field_width=Fluid.ONE_HALF),
        )

    def clean_referee_phone(self):
        return normalise_uk_phone(self.cleaned_data["referee_phone"])

    def clean_referee_email(self):
        # Any address of the applicant's, verified or not, and their work email:
        # a referee request sent to one of them would let them confirm themselves.
        email = self.cleaned_data["referee_email"]
        if email.strip().lower() in self.instance.applicant_addresses():
            raise forms.ValidationError(
                "Your referee must be someone else: enter their email address, not yours"
            )
        return email

    def clean_sia_licence_number(self):
        number = self.cleaned_data["sia_licence_number"].strip()
        if number:
            validate_sia_licence(number)
        return number.replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("referee_name") or "").strip().casefold()
        own_name = (self.instance.full_name or "").strip().casefold()
        if name and own_name and name == own_name:
            self.add_error("referee_name", "Your referee must be someone else, not you")
        return cleaned


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
        self.call_projects = list(call.projects.select_related("workstream"))
        existing = {
            interest.project.code: interest for interest in instance.project_interests.all()
        }
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("projects", list(existing))
        initial.setdefault("hours_per_month", instance.hours_per_month)
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(p.code, p.code) for p in self.call_projects]
        preferences = [(n, str(n)) for n in range(1, len(self.call_projects) + 1)]
        for project in self.call_projects:
            interest = existing.get(project.code)
            code = project.code
            self.fields[f"role_{code}"] = forms.ChoiceField(
                label=f"Your role in {code}",
                choices=ProjectInterest.Role.choices,
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


class ConflictsQuestionForm(PlainTextForm):
    has_conflicts = forms.TypedChoiceField(
        label="Do you have any conflicts of interest to declare?",
        help_text=(
            "For example a financial interest, a commercial product or service, an employment or a "
            "personal relationship that could give you or someone else an advantage from a project."
        ),
        choices=[("yes", "Yes"), ("no", "No, I have none to declare")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have a conflict of interest to declare"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("has_conflicts", legend_size=Size.MEDIUM, legend_tag="h1")
        )


class ConflictForm(PlainTextModelForm):
    class Meta:
        model = ConflictOfInterest
        fields = ["organisation", "nature", "details", "projects"]
        labels = {
            "organisation": "Which organisation is it about?",
            "nature": "What is the nature of the interest?",
            "details": "Give details",
            "projects": "Which of your projects does it touch?",
        }
        widgets = {"nature": forms.RadioSelect, "projects": forms.CheckboxSelectMultiple}
        error_messages = {
            "organisation": {"required": "Enter the organisation the interest is about"},
            "nature": {"required": "Select the nature of the interest"},
            "details": {
                "required": "Give details of the interest",
                "control_characters": "Details must not contain control characters",
            },
            "projects": {"invalid_choice": "Select projects from your expression of interest"},
        }

    def __init__(self, *args, eoi, **kwargs):
        super().__init__(*args, **kwargs)
        from projects.models import Project

        self.fields["nature"].choices = ConflictOfInterest.Nature.choices
        self.fields["projects"].queryset = Project.objects.filter(
            interests__expression_of_interest=eoi
        ).order_by("code")
        self.fields["projects"].label_from_instance = lambda project: (
            f"{project.code}: {project.short_title}"
        )
        self.fields[
            "projects"
        ].help_text = "Select all that apply. Leave blank if it touches none directly."
        # crispy-forms-gds 2.0.1 needs a hint on a character-counted textarea.
        self.fields["details"].help_text = "What the interest is, and how it could touch the work."
        self.fields["details"].max_length = 2000
        self.fields["details"].widget.attrs["maxlength"] = None
        self.helper = gds_helper(
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.radios("nature", legend_size=Size.SMALL),
            Field.textarea("details", max_characters=2000),
            Field.checkboxes("projects", legend_size=Size.SMALL),
            submit="Add this declaration",
        )

    def clean_details(self):
        details = self.cleaned_data["details"]
        if len(details) > 2000:
            raise forms.ValidationError("Details must be 2000 characters or fewer")
        return details


class DeclarationsForm(SectionForm):
    required_fields = (
        "accepts_confidentiality",
        "accepts_voluntary",
        "undertakes_to_declare",
        "read_privacy_notice",
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "accepts_confidentiality",
            "accepts_voluntary",
            "undertakes_to_declare",
            "read_privacy_notice",
        ]
        error_messages = {
            "accepts_confidentiality": {
                "required": "Confirm that you accept the work is in confidence"
            },
            "accepts_voluntary": {
                "required": "Confirm that you accept participation is voluntary and unfunded"
            },
            "undertakes_to_declare": {
                "required": "Confirm that you will declare conflicts of interest as they arise"
            },
            "read_privacy_notice": {"required": "Confirm that you have read the privacy notice"},
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        # The labels are the document's own words, so that what is agreed is what it says.
        self.fields["accepts_confidentiality"].label = (
            "I support the principle that whilst any work undertaken for Step Change is not "
            "classified, it is in confidence."
        )
        self.fields["accepts_voluntary"].label = (
            "I understand that there is no funding stream attached to the Step Change Programme: "
            "participation is voluntary, both in terms of time donated to the work-streams and any "
            "miscellaneous expenses encountered (such as travel and personal refreshments)."
        )
        self.fields[
            "undertakes_to_declare"
        ].label = "I will declare any conflicts of interest that may exist, as they arise."
        self.fields[
            "read_privacy_notice"
        ].label = f"I have read the privacy notice (version {settings.PRIVACY_NOTICE_VERSION})."
        self.helper = gds_helper(
            Field.checkbox("accepts_confidentiality"),
            Field.checkbox("accepts_voluntary"),
            Field.checkbox("undertakes_to_declare"),
            Field.checkbox("read_privacy_notice"),
        )

    def save(self, commit=True):
        self.instance.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
        return super().save(commit)


class WithdrawForm(PlainTextForm):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        help_text="This helps the Programme Coordination Office. You do not have to say.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        error_messages={
            "max_length": "Your reason must be 1000 characters or fewer",
            "control_characters": "Your reason must not contain control characters",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", max_characters=1000), submit=None)
