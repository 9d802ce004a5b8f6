from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from baocao.core.vietnamese import fold
from baocao.orgunits.choices import ReorgKind, ShareMethod, UnitKind

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

    # A code identifies a unit only together with a date: 3,316 of the 3,321 communes formed on
    # 1 July 2025 carry the code of one of their predecessors. Codes are unique among current units
    # (the constraint below) and over validity intervals (orgunits.services); look units up by code
    # with `orgunits.selectors.unit_by_code(code, on=...)`.
    code = models.CharField("mã", max_length=40, db_index=True)
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
    # Folded code, names and former names and codes (UnitName), for accent-insensitive search.
    search_text = models.TextField(editable=False, default="")
    note = models.TextField("ghi chú", blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True),
                                    name="orgunit_code_unique_among_current"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        former = " ".join(f"{n.code} {n.name}" for n in self.former_names.all()) if self.pk else ""
        self.search_text = fold(f"{self.code} {self.name} {self.short_name} {former}".strip())
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


class UnitName(models.Model):
    """A name and code a unit carried before a rename or re-code, with the days it carried them:
    the unit is still found by them, and documents of those days print them."""

    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="former_names")
    code = models.CharField("mã", max_length=40, db_index=True)
    name = models.CharField("tên", max_length=255)
    valid_from = models.DateField("dùng từ", null=True, blank=True)
    valid_to = models.DateField("dùng đến")
    event = models.ForeignKey("ReorgEvent", verbose_name="sự kiện", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="former_names")

    class Meta:
        verbose_name = "tên, mã cũ"
        verbose_name_plural = "tên, mã cũ"
        ordering = ["unit", "valid_to"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name} (đến {self.valid_to:%d/%m/%Y})"


class ReorgEvent(models.Model):
    """One act of reorganisation: on `effective`, by the legal act `legal_basis`, some units
    (predecessors) became others (successors). The links say how much of each predecessor went
    where; the history of the tree is these events, never overwritten."""

    kind = models.CharField("loại", max_length=20, choices=ReorgKind.choices)
    effective = models.DateField("ngày hiệu lực", db_index=True)
    legal_basis = models.CharField("căn cứ", max_length=255, blank=True,
                                   help_text="Số, ký hiệu văn bản, ví dụ Nghị quyết số 1683/NQ-UBTVQH15")
    note = models.TextField("ghi chú", blank=True)
    # Where the event came from: "" when entered by hand, else the import that wrote it (idempotence).
    source_key = models.CharField(max_length=120, blank=True, db_index=True)
    applied_at = models.DateTimeField("đã áp dụng lúc", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện sắp xếp"
        verbose_name_plural = "sự kiện sắp xếp"
        ordering = ["effective", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective:%d/%m/%Y}"


class UnitLink(models.Model):
    """`share` of `predecessor` went to `successor` on `effective` (1 for a whole unit). The shares of
    one predecessor on one day add up to 1. A predecessor that goes on after giving away a part
    links to itself with the rest; a re-parented unit links to itself with share 1 and names the
    parents before and after."""

    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(OrgUnit, verbose_name="đơn vị trước", on_delete=models.PROTECT,
                                    related_name="successor_links")
    successor = models.ForeignKey(OrgUnit, verbose_name="đơn vị sau", on_delete=models.PROTECT,
                                  related_name="predecessor_links")
    share = models.DecimalField("tỷ lệ", max_digits=10, decimal_places=8)
    method = models.CharField("cách xác định tỷ lệ", max_length=20, choices=ShareMethod.choices,
                              default=ShareMethod.WHOLE)
    effective = models.DateField(db_index=True, editable=False)  # the event's, for set-based lineage reads
    parent_before = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent_after = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "liên kết kế thừa"
        verbose_name_plural = "liên kết kế thừa"
        ordering = ["effective", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "predecessor", "successor"], name="unitlink_once_per_event"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="unitlink_share_in_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.share})"

    @property
    def is_whole(self) -> bool:
        return self.share == 1
