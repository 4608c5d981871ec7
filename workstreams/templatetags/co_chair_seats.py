"""The admin home's "Co-chairs" table: each workstream's two seats, filled or not."""

from django import template

from ..models import Workstream

register = template.Library()


@register.simple_tag
def co_chair_seats():
    """Every workstream, archived ones included, with its two co-chairs."""
    return Workstream.objects.select_related("business_co_chair", "police_co_chair").order_by(
        "order", "code"
    )
