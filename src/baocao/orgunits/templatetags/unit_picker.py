"""{% unit_picker %}: the unit picker (orgunits.widgets) in a template that has no form, e.g. a list's
filter or an htmx section: `{% unit_picker "unit" units selected=posted.unit id="at-unit" blank="—" %}`.
`units` is what the view passes (already scoped, read with `picker_units`); `multiple=True` for a
list of ids (`selected` a list too)."""

from __future__ import annotations

from django import template

from baocao.orgunits.widgets import UnitMultiplePicker, UnitPicker, unit_choices

register = template.Library()


@register.simple_tag
def unit_picker(name: str, units, *, selected=None, id: str = "", blank: str | None = None,  # noqa: A002
                multiple: bool = False, **attrs):
    widget_class = UnitMultiplePicker if multiple else UnitPicker
    widget = widget_class(attrs={k.replace("_", "-"): v for k, v in attrs.items()},
                          choices=unit_choices(units, blank=blank))
    value: list[str] | str = [str(v) for v in selected or []] if multiple else (
        "" if selected is None else str(selected))
    return widget.render(name, value, attrs={"id": id} if id else None)
