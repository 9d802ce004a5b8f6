from __future__ import annotations

from django.db import models


class IndicatorAggregate(models.Model):
    """The approved values of one indicator of a regime's period, aggregated over a unit and every
    unit below it: how many there are, their sum, least, greatest and last (the value of the unit
    that comes last in path order, as the consolidation orders units). Kept by
    `analytics.services` in the transaction that approves or reopens a report; only numbers count
    (text answers and empty values are not in any row), and a unit with no approved number for an
    indicator has no row for it.

    Never written by hand: `baocao analytics check` compares every row with the values and
    `baocao analytics rebuild` recomputes them.
    """

    regime = models.ForeignKey("reporting.ReportingRegime", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("kỳ báo cáo", max_length=12)
    # The unit the figures are aggregated over: the reporting unit itself or one of its ancestors.
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    indicator_code = models.CharField("mã chỉ tiêu", max_length=60)
    value_count = models.PositiveIntegerField("số đơn vị có số liệu")
    # Values have 18 integer digits at most (SubmissionValue.number); a sum of a million of them
    # fits in 24 integer digits.
    value_sum = models.DecimalField("tổng", max_digits=30, decimal_places=6)
    value_min = models.DecimalField("nhỏ nhất", max_digits=24, decimal_places=6)
    value_max = models.DecimalField("lớn nhất", max_digits=24, decimal_places=6)
    value_last = models.DecimalField("của đơn vị cuối", max_digits=24, decimal_places=6)
    # The path of the unit `value_last` is from: a newly approved unit with a later path replaces it.
    last_path = models.CharField(max_length=255)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu tổng hợp sẵn"
        verbose_name_plural = "số liệu tổng hợp sẵn"
        # The unique index, led by (regime, period, unit), also serves every read of reads.py.
        constraints = [
            models.UniqueConstraint(fields=["regime", "period", "unit", "indicator_code"],
                                    name="indicatoraggregate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.regime_id} {self.period} {self.unit_id} {self.indicator_code}"
