"""What every form of the app shares: the posted data, the GOV.UK layout helper,
and the base of a question page of the expression of interest."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit

from stepchange.plain_text import PlainTextModelForm


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
