from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from baocao.core.vietnamese import fold
from baocao.orgunits.choices import UnitKind

PATH_SEPARATOR = "/"


def subtree_q(unit: OrgUnit, field: str = "") -> Q:
    """Rows whose unit (`field`, a foreign key to OrgUnit; the unit itself when empty) lies in the
    subtree of `unit`, `unit` included: the one place the materialised-path prefix rule is written.

    A unit whose path was never set (saved around the services) contains nothing: an empty prefix
    would otherwise match every unit of the tree.
    """
    if not unit.path:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith" if field else "path__startswith": unit.path})


class OrgUnitQuerySet(models.QuerySet):
    def within(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """`unit` and every unit below it."""
        return self.filter(subtree_q(unit))

    def valid_on(self, day: date) -> OrgUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active(self) -> OrgUnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def delete(self):  # noqa: D401 - units keep their history
        raise TypeError("Đơn vị không bao giờ bị xóa hẳn; hãy đặt ngày hết hiệu lực (valid_to).")


class OrgUnit(models.Model):
    """A unit of the organisation tree: province, committee, department, office, commune, enterprise...

    `path` is a materialised path of ids ("/1/5/12/") so that every descendant query is one
    indexed prefix query whatever the depth. Units are never hard-deleted: closing a unit sets
    `valid_to`, and its submissions and history stay.
    """

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    kind = models.CharField("loại", max_length=30, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="đơn vị cấp trên", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=False)
    note = models.TextField("ghi chú", blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Đơn vị không bao giờ bị xóa hẳn; hãy đặt ngày hết hiệu lực (valid_to).")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def contains(self, other: OrgUnit) -> bool:
        """Whether `other` is this unit or lies below it (the in-memory twin of `subtree_q`)."""
        return bool(self.path) and other.path.startswith(self.path)

    def descendants(self, *, include_self: bool = False) -> OrgUnitQuerySet:
        qs = OrgUnit.objects.within(self)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


class OrgUnitGroup(models.Model):
    """A named set of units, e.g. "Doanh nghiệp viễn thông", used as reporting entities of regimes."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên nhóm", max_length=255)
    members = models.ManyToManyField(OrgUnit, verbose_name="đơn vị", related_name="unit_groups", blank=True)

    class Meta:
        verbose_name = "nhóm đơn vị"
        verbose_name_plural = "nhóm đơn vị"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
