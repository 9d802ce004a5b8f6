"""The one unit picker of every form: the units given (always a scoped queryset: the caller decides
what the user may see), in tree order, each indented under its parent. Without JavaScript it is a
plain <select>; app.js ("Unit picker") adds a search box that finds units by name, code or parent,
diacritics ignored ("ba be" finds "Ba Bể").

A province after 2025 has about a hundred communes, a ministry thousands of units: the options are
read in one query (the form field's queryset; in a template, one read with `picker_units`) and their
depth and parents are worked out from the paths of the units in the list, so a unit outside the list
is never named, not even as a parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from baocao.core.vietnamese import fold
from baocao.orgunits.models import OrgUnit, OrgUnitQuerySet

# What the picker reads of a unit; a queryset deferring one of these would cost a query per option.
PICKER_FIELDS = ("id", "code", "name", "short_name", "path", "depth", "valid_from", "valid_to")
INDENT = "\u00a0\u00a0\u00a0"  # per level, in the option's text: the only indentation a <select> keeps


def picker_units(queryset: OrgUnitQuerySet) -> OrgUnitQuerySet:
    """`queryset` as the picker reads it: tree order (the materialised path), only the fields it shows."""
    return queryset.order_by("path").only(*PICKER_FIELDS)


@dataclass(frozen=True)
class TreeEntry:
    unit: OrgUnit
    depth: int  # ancestors of the unit that are in the list too
    parent_name: str  # the nearest of them, "" when none
    search: str  # folded code, names and the names of its listed ancestors

    @property
    def label(self) -> str:
        closed = f" (đến {self.unit.valid_to:%d/%m/%Y})" if self.unit.valid_to else ""
        return f"{INDENT * self.depth}{self.unit.name}{closed}"


def tree_entries(units: Iterable[OrgUnit]) -> list[TreeEntry]:
    """The units in tree order, each with its depth and parent among the units listed."""
    ordered = sorted(units, key=lambda u: u.path)
    by_id = {u.pk: u for u in ordered}
    entries = []
    for unit in ordered:
        ancestors = [by_id[pk] for pk in unit.ancestor_ids()[:-1] if pk in by_id]
        own = " ".join(part for part in (unit.code, unit.name, unit.short_name) if part)
        entries.append(TreeEntry(
            unit=unit, depth=len(ancestors), parent_name=ancestors[-1].name if ancestors else "",
            search=fold(" ".join([own, *(a.name for a in reversed(ancestors))]))))
    return entries


class UnitPicker(forms.Select):
    """A <select> of units in tree order, marked for app.js to add its search box."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-unit-picker": "", **(attrs or {})}, choices)

    def optgroups(self, name, value, attrs=None):
        # One pass over the choices (one query for a ModelChoiceField), then the tree.
        blanks, units = [], []
        for choice_value, choice_label in self.choices:
            instance = getattr(choice_value, "instance", None)
            if isinstance(instance, OrgUnit):
                units.append(instance)
            else:
                blanks.append((choice_value, choice_label))
        chosen = {str(v) for v in value}
        options = []
        for index, (blank_value, blank_label) in enumerate(blanks):
            options.append(self.create_option(name, blank_value, blank_label, str(blank_value) in chosen, index,
                                              attrs=attrs))
        for index, entry in enumerate(tree_entries(units), start=len(blanks)):
            option = self.create_option(name, entry.unit.pk, entry.label, str(entry.unit.pk) in chosen, index,
                                        attrs=attrs)
            option["attrs"].update({"data-depth": entry.depth, "data-search": entry.search,
                                    "data-name": entry.unit.name})
            if entry.parent_name:
                option["attrs"]["data-parent"] = entry.parent_name
            options.append(option)
        return [(None, options, 0)]

    def use_required_attribute(self, initial):
        # Django reads the first choice to know whether it is a blank one: without a blank label that
        # is a query of its own, for an answer known beforehand (no blank choice, no `required`).
        if not self.allow_multiple_selected and isinstance(self.choices, ModelChoiceIterator) \
                and self.choices.field.empty_label is None:
            return False
        return super().use_required_attribute(initial)


class UnitMultiplePicker(UnitPicker, forms.SelectMultiple):
    """The picker for several units (cooperating units): the search box toggles the units it picks."""


class UnitChoiceField(forms.ModelChoiceField):
    """One unit, from the queryset the form sets (the user's scope), shown by the picker."""

    widget = UnitPicker

    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several units, from the queryset the form sets (the user's scope)."""

    widget = UnitMultiplePicker

    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


def unit_choices(units: Iterable[OrgUnit], *, blank: str | None = None) -> list[tuple]:
    """Choices for a UnitPicker outside a form field (a filter, an htmx section): the units given,
    after an optional blank choice labelled `blank`."""
    choices: list[tuple] = [("", blank)] if blank is not None else []
    return choices + [(ModelChoiceIteratorValue(u.pk, u), u.name) for u in units]
