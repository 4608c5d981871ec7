"""The applicants' records no admin deletion may reach (stepchange.admin_deletion):
expressions of interest, every record about one, the decisions and the teams."""

from stepchange.admin_deletion import keep_records

from ..models import Decision, ExpressionOfInterest, TeamMembership


def applicants_records():
    """The EOI, the models that point to it (interests, conflicts, checks, amendments,
    status changes, recommendations, overrides...), decisions, team places, and
    the tables of their many-to-many fields (a conflict's projects)."""
    models = {ExpressionOfInterest, Decision, TeamMembership}
    models |= {relation.related_model for relation in ExpressionOfInterest._meta.related_objects}
    models |= {
        field.remote_field.through for model in list(models) for field in model._meta.many_to_many
    }
    return models


keep_records(*applicants_records())
