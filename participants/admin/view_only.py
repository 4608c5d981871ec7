"""Admin lists of records written elsewhere: read here, never added, changed or deleted."""


class ViewOnly:
    """Mix in before the ModelAdmin class: the view permission still decides who reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
