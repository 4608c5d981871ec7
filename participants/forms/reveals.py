"""Radios that reveal a follow-up question under an answer: GOV.UK's conditional
reveal (govuk-frontend 5's Radios script), with the follow-up in the markup for
browsers without JavaScript.

crispy-forms-gds 2.0.1 has ConditionalRadios, but it writes govuk-frontend 4's
markup: `aria-controls` on every radio, pointing at reveals that do not exist
(an accessibility failure), and every reveal hidden even when its answer is
chosen. This writes 5.x's: `data-aria-controls` on the answers that reveal
something, and a reveal hidden only while its answer is not chosen.

The server decides what is kept: the form's clean() discards a hidden
follow-up's value and requires it only under its answer.
"""

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import Size
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class RadiosWithReveals(LayoutObject):
    """A radios question whose answers in `reveals` show the layout objects given
    for them, e.g. RadiosWithReveals("sector", {"other": Field.text("sector_other")})."""

    template = "participants/forms/radios_with_reveals.html"

    def __init__(self, field, reveals, *, legend_size=None):
        self.field = field
        self.fields = [field]
        self.reveals = reveals
        self.legend_size = Size.for_legend(legend_size) if legend_size else None

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound_field = form[self.field]
        chosen = str(bound_field.value() or "")
        items = []
        for position, (value, label) in enumerate(bound_field.field.choices, start=1):
            revealed = self.reveals.get(value)
            items.append(
                {
                    "value": value,
                    "label": label,
                    # The first answer has the field's id: the error summary links there.
                    "id": bound_field.auto_id
                    if position == 1
                    else f"{bound_field.auto_id}_{position}",
                    "checked": str(value) == chosen,
                    "reveal_id": f"conditional-{bound_field.html_name}-{value}",
                    # crispy-forms-gds's own markup for the follow-up, escaped where it renders.
                    "reveal": mark_safe(revealed.render(form, context, template_pack=template_pack))
                    if revealed
                    else "",
                }
            )
        return render_to_string(
            self.template,
            {
                "field": bound_field,
                "items": items,
                "legend_size": self.legend_size,
                "form_show_errors": True,
            },
        )
