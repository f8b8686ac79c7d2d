"""Benchmarks and their results.

A `Benchmark` defines an evaluation (dataset and revision, split, metric and how it is averaged,
protocol); its data is the user's to supply (`manage.py benchmark_load`), stored in the model
storage by sha256. A `BenchmarkResult` is one score on it, with its full breakdown and where it
came from: `verified` (Steward computed it from the stored artifact and the stored data),
`self-reported` (someone entered it) or `published` (a paper's or the benchmark authors' figure).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ResultSource(models.TextChoices):
    VERIFIED = "verified", "Verified"
    SELF_REPORTED = "self-reported", "Self-reported"
    PUBLISHED = "published", "Published"


class Benchmark(models.Model):
    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    task = models.CharField(max_length=60, default="text-classification")
    description = models.TextField(blank=True)
    dataset = models.CharField(max_length=200, help_text="Dataset name, as its authors call it")
    dataset_revision = models.CharField(max_length=100, blank=True)
    split = models.CharField(max_length=60, default="test")
    metric = models.CharField(max_length=60, default="f1")
    metric_name = models.CharField(max_length=100, default="Macro F1")
    averaging = models.TextField(help_text="How the headline value is averaged")
    protocol = models.TextField(help_text="How a model is trained and scored on it")
    url = models.URLField(max_length=300, blank=True)
    citation = models.TextField(blank=True)
    subsets = models.JSONField(
        default=list, blank=True, help_text="Parts scored separately (e.g. repositories)"
    )
    classes = models.JSONField(default=list, blank=True)
    # The data a user loaded: content-addressed files in the model storage.
    train_key = models.CharField(max_length=300, blank=True)
    train_sha256 = models.CharField(max_length=64, blank=True)
    train_rows = models.PositiveIntegerField(default=0)
    test_key = models.CharField(max_length=300, blank=True)
    test_sha256 = models.CharField(max_length=64, blank=True)
    test_rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_data(self) -> bool:
        return bool(self.train_key and self.test_key)

    @property
    def dataset_sha256(self) -> str:
        """The test split's sha256: what a verified result was scored on."""
        return self.test_sha256


class BenchmarkResult(models.Model):
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="results")
    version = models.ForeignKey(
        "models_hub.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="benchmark_results",
        help_text="Empty for a published reference figure",
    )
    entry = models.CharField(
        max_length=200, help_text="What is scored, as the leaderboard names it"
    )
    source = models.CharField(max_length=20, choices=ResultSource.choices)
    value = models.FloatField(help_text="The headline value (the benchmark's metric)")
    breakdown = models.JSONField(
        default=dict, blank=True, help_text="{per_subset: {…}, per_class: {…}, …}"
    )
    coverage = models.FloatField(
        null=True, blank=True, help_text="Share labelled at the calibrated threshold"
    )
    evaluated_at = models.DateTimeField()
    seed = models.IntegerField(null=True, blank=True)
    code_version = models.CharField(max_length=100, blank=True)
    dataset_sha256 = models.CharField(max_length=64, blank=True)
    command = models.TextField(blank=True, help_text="The command that reproduces it")
    reference = models.URLField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["benchmark_id", "-value"]
        indexes = [models.Index(fields=["benchmark", "source"], name="result_benchmark_source")]

    def __str__(self) -> str:
        return f"{self.entry} on {self.benchmark.name}: {self.value:.4f} ({self.source})"
