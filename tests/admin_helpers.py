"""Reading an admin change page back as the POST data its form would send, inlines included, so
that a test changes only what it means to change."""

from __future__ import annotations


def admin_form_data(response) -> dict:
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data
