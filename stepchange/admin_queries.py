"""What every admin page makes of its query string: a value it cannot use is
refused as Django refuses any other, never a server error.

Applied to every registered ModelAdmin, ours and other packages' alike, once
the admin has discovered them all (StepChangeConfig.ready), so that a new one
is covered without anyone remembering to.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, ValidationError


class QueriesRefuseImpossibleValues:
    """Mix in before a ModelAdmin class.

    - Its list answers a year, month or day of the date hierarchy that makes no
      date as an invalid filter ("?e=1"). Django does so for some only: a year
      of 10**30 (OverflowError) or 9999 (whose end is past the last date) were
      server errors on every list with a date hierarchy.
    - Its add page takes from the query only the initial values its fields can
      hold, converted. Django passes them on as text, so a word where an id
      belongs (the autocomplete widget looks it up) or any date-time (the
      split widget wants a datetime) was a server error.
    """

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)

        class ChangeList(changelist):
            def get_filters(self, request):
                try:
                    return super().get_filters(request)
                except (OverflowError, ValueError) as problem:
                    raise IncorrectLookupParameters(problem) from problem

        return ChangeList

    def get_changeform_initial_data(self, request):
        initial = {}
        for name, value in super().get_changeform_initial_data(request).items():
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                initial[name] = value  # not the model's: the form's own to read
                continue
            try:
                initial[name] = _as_field_holds(field, value)
            except (ValidationError, ValueError, OverflowError):
                continue  # shown empty, as if it had not been given
        return initial


def _as_field_holds(field, value):
    target = field.target_field if field.is_relation else field
    if field.many_to_many:
        return [target.to_python(item) for item in value]
    return target.to_python(value)


def guard_every_admin(site=admin.site):
    """Give every registered ModelAdmin the mixin above."""
    for model, model_admin in list(site._registry.items()):
        original = type(model_admin)
        if not issubclass(original, QueriesRefuseImpossibleValues):
            site.unregister(model)
            guarded = type(original.__name__, (QueriesRefuseImpossibleValues, original), {})
            site.register(model, guarded)
