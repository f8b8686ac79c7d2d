"""Challenger replays, and the benchmarks defined in code with their published results."""

import django.db.models.deletion
from django.db import migrations, models


def benchmarks_ensure(apps, schema_editor):
    from models_hub.benchmarks.catalogue import benchmarks_ensure as ensure

    ensure(
        benchmark_model=apps.get_model("models_hub", "Benchmark"),
        result_model=apps.get_model("models_hub", "BenchmarkResult"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("models_hub", "0002_model_hub"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChallengerReplay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "limit",
                    models.PositiveIntegerField(
                        default=50, help_text="Latest triaged issues replayed"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("issues_compared", models.PositiveIntegerField(default=0)),
                ("changes", models.JSONField(blank=True, default=list)),
                ("detail", models.TextField(blank=True, help_text="Why it failed")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "baseline",
                    models.ForeignKey(
                        blank=True,
                        help_text=(
                            "The version compared with; empty: there was no champion "
                            "(no suggestions)"
                        ),
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="models_hub.modelversion",
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="replays",
                        to="models_hub.modelversion",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["candidate", "baseline", "-created_at"],
                        name="replay_pair_latest",
                    )
                ],
            },
        ),
        migrations.RunPython(benchmarks_ensure, migrations.RunPython.noop),
    ]
