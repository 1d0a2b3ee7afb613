"""Stored measure results (dashboards read these, never the raw data), runs, and export jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MetricsRun(models.Model):
    """One compute run: every measure for a period and its sub-periods, from one snapshot."""

    period = models.CharField(max_length=8)
    snapshot_dir = models.CharField(max_length=400, blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)
    shipments_through = models.DateField(null=True, blank=True)  # last arrival date in the targeting data
    shipments_source = models.CharField(max_length=400, blank=True)
    crossings_source = models.CharField(max_length=400, blank=True)
    inputs = models.JSONField(default=dict)  # what was read, to repeat a drill-down against the same data
    result_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-computed_at", "-id"]


class MeasureResult(models.Model):
    run = models.ForeignKey(MetricsRun, on_delete=models.CASCADE, related_name="results")
    measure_id = models.CharField(max_length=64)
    period = models.CharField(max_length=8)
    period_level = models.CharField(max_length=8)
    dimension = models.CharField(max_length=20, blank=True)
    dimension_value = models.CharField(max_length=80, blank=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    no_data_reason = models.CharField(max_length=200, blank=True)
    snapshot_at = models.DateTimeField(null=True)
    computed_at = models.DateTimeField(default=timezone.now)
    is_latest = models.BooleanField(default=True)  # the newest run covering this period

    class Meta:
        indexes = [
            models.Index(
                fields=["measure_id", "is_latest", "dimension", "period_level", "period"],
                name="metrics_latest",
            ),
        ]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # drilldown, values, plan
    params = models.JSONField(default=dict)
    fmt = models.CharField(max_length=4)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    rows = models.PositiveIntegerField(default=0)
    file_path = models.CharField(max_length=400, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
