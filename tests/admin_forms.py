"""Post an admin change form as a browser would: every field and inline as shown."""


def _add(data, field):
    value = field.value()
    if value is None or value is False:
        return
    if value is True:
        data[field.html_name] = "on"
    elif isinstance(value, (list, tuple)):
        data[field.html_name] = [getattr(item, "pk", item) for item in value]
    else:
        data[field.html_name] = value


def change_form_data(page):
    """The POST data of the admin change form `page` (a test client response) as shown."""
    data = {}
    for field in page.context["adminform"].form:
        _add(data, field)
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for form in formset.initial_forms:
            for field in form:
                _add(data, field)
    return data


def inline_prefix(page, inline_class_name):
    """The form prefix of the inline whose admin class is `inline_class_name`."""
    for inline in page.context["inline_admin_formsets"]:
        if type(inline.opts).__name__ == inline_class_name:
            return inline.formset.prefix
    raise LookupError(inline_class_name)
