"""The person's full name: asked when they create an account, and once of
anyone whose account has none (GOV.UK's "Names" pattern: one field)."""

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from stepchange.account_forms import SignupForm as AccountSignupForm
from stepchange.plain_text import PlainTextModelForm

from ..models import User
from .base import gds_helper

FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length


def full_name_field():
    """One "Full name" box, as GOV.UK's Names pattern asks: any name, no split
    into first and last, not spell-checked, filled in by the browser."""
    return forms.CharField(
        label="Full name",
        max_length=FULL_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your full name",
            "max_length": f"Full name must be {FULL_NAME_MAX_LENGTH} characters or fewer",
        },
    )


class SignupForm(AccountSignupForm):
    """allauth's sign-up, with the full name first: a co-chair is named on the
    public pages, and the office needs to know who wrote what. The adapter
    (participants/adapters.py) stores it on the account."""

    full_name = full_name_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["full_name", "email", "password1", "password2"])


class YourNameForm(PlainTextModelForm):
    """The name of an account made before sign-up asked for it."""

    full_name = full_name_field()

    class Meta:
        model = User
        fields = ["full_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS), submit="Continue"
        )
