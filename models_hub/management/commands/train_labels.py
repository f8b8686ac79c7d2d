"""`manage.py train_labels [--repo OWNER/NAME] [--due] [--min-per-label N]`: retrain label
classifiers now, in this process (it loads the embedding model to encode missing vectors)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from community.models import Repository
from models_hub.training.retrain import label_classifier_retrain, label_classifiers_due
from models_hub.training.vocabulary import MIN_PER_LABEL


class Command(BaseCommand):
    help = "Train each repository's label classifier on its labelled issues and feedback."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repo", help="only this repository (OWNER/NAME)")
        parser.add_argument(
            "--due", action="store_true", help="only repositories with new labels or feedback"
        )
        parser.add_argument(
            "--min-per-label",
            type=int,
            default=MIN_PER_LABEL,
            help=f"labelled issues a label needs to be learnt (default {MIN_PER_LABEL})",
        )
        parser.add_argument(
            "--no-activate", action="store_true", help="register the versions without using them"
        )

    def handle(self, *args, repo, due, min_per_label, no_activate, **options) -> None:
        from models_hub.embeddings.encoder import get_encoder

        if min_per_label < 2:
            raise CommandError("--min-per-label must be at least 2")
        repositories = Repository.objects.filter(tracked=True, deleted_at__isnull=True)
        if repo:
            repositories = repositories.filter(full_name__iexact=repo)
            if not repositories.exists():
                raise CommandError(f"unknown repository {repo}")
        if due:
            wanted = {repository.pk for repository in label_classifiers_due()}
            repositories = repositories.filter(pk__in=wanted)
        encoder = get_encoder()
        for repository in repositories.order_by("full_name"):
            outcome = label_classifier_retrain(
                repository=repository,
                min_per_label=min_per_label,
                encoder=encoder,
                activate=not no_activate,
            )
            self.stdout.write(_describe(outcome))


def _describe(outcome) -> str:
    name = outcome.repository.full_name
    if outcome.version is None:
        return f"{name}: skipped, {outcome.reason}"
    version, metrics = outcome.version, outcome.version.metrics
    scores = (
        f"macro F1 {metrics['macro_f1']:.3f}, coverage at 90% precision "
        f"{metrics['coverage_at_90_precision']:.0%}"
        if metrics.get("evaluated")
        else f"not evaluated ({metrics.get('reason', 'too small')})"
    )
    champion = "champion" if outcome.promoted else "not promoted (the champion gate did not pass)"
    return (
        f"{name}: v{version.version} ({champion}) on {version.training_rows} issues, "
        f"labels {', '.join(version.metadata['labels'])}; {scores}; "
        f"threshold {version.metadata['threshold']:.2f}; {outcome.seconds:.1f} s"
    )
