"""The benchmarks Steward knows, defined in code: what they measure and how, and the figures
their authors published. `benchmarks_ensure` (catalogue.py) writes them to the database; the
data itself is the user's to load (`manage.py benchmark_load`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PublishedFigure:
    """A published result: the headline value and its breakdown, as the source gives them."""

    entry: str
    value: float
    per_subset: dict[str, float]
    per_class: dict[str, float]
    per_subset_per_class: dict[str, dict[str, float]]
    reference: str
    evaluated_at: dt.datetime
    notes: str = ""

    def breakdown(self) -> dict:
        return {
            "per_subset": self.per_subset,
            "per_class": self.per_class,
            "per_subset_per_class": self.per_subset_per_class,
        }


@dataclass(frozen=True)
class BenchmarkDefinition:
    name: str
    title: str
    task: str
    description: str
    dataset: str
    dataset_revision: str
    split: str
    metric: str
    metric_name: str
    averaging: str
    protocol: str
    url: str
    citation: str
    subsets: list[str]
    classes: list[str]
    published: tuple[PublishedFigure, ...] = field(default=())

    def fields(self) -> dict:
        """The `Benchmark` row's fields (its loaded data is not part of the definition)."""
        return {
            key: getattr(self, key)
            for key in (
                "title",
                "task",
                "description",
                "dataset",
                "dataset_revision",
                "split",
                "metric",
                "metric_name",
                "averaging",
                "protocol",
                "url",
                "citation",
                "subsets",
                "classes",
            )
        }


NLBSE2024_REPOSITORY = "https://github.com/nlbse2024/issue-report-classification"
NLBSE2024_REVISION = "2927bc67eb42db8affd16eaf3e5a6d74f3063961"
NLBSE2024_SUBSETS = [
    "facebook/react",
    "tensorflow/tensorflow",
    "microsoft/vscode",
    "bitcoin/bitcoin",
    "opencv/opencv",
]
NLBSE2024_PUBLISHED_AT = dt.datetime(2024, 1, 22, tzinfo=dt.UTC)


def _figure(entry: str, table: dict, reference: str, notes: str = "") -> PublishedFigure:
    """`table`: {repository or "overall": (macro F1, bug F1, feature F1, question F1)}, as the
    source prints them; the overall macro F1 is the headline."""
    classes = ("bug", "feature", "question")
    repositories = {repo: scores for repo, scores in table.items() if repo != "overall"}
    return PublishedFigure(
        entry=entry,
        value=table["overall"][0],
        per_subset={repo: scores[0] for repo, scores in repositories.items()},
        per_class=dict(zip(classes, table["overall"][1:], strict=True)),
        per_subset_per_class={
            repo: dict(zip(classes, scores[1:], strict=True))
            for repo, scores in repositories.items()
        },
        reference=reference,
        evaluated_at=NLBSE2024_PUBLISHED_AT,
        notes=notes,
    )


NLBSE2024 = BenchmarkDefinition(
    name="nlbse2024",
    title="NLBSE'24 issue report classification",
    task="text-classification",
    description=(
        "Classify GitHub issue reports as bug, feature or question. 3,000 issues of five "
        "open-source repositories, balanced, split half and half: 300 training and 300 test "
        "issues per repository, 100 of each class. The NLBSE'24 tool competition's benchmark."
    ),
    dataset="nlbse2024/issue-report-classification",
    dataset_revision=NLBSE2024_REVISION,
    split="test",
    metric="f1",
    metric_name="Macro F1",
    averaging=(
        "macro F1 over bug/feature/question per repository, then the mean over the 5 repositories"
    ),
    protocol="one classifier per repository trained only on that repository's training rows",
    url=NLBSE2024_REPOSITORY,
    citation=(
        "@inproceedings{nlbse2024,\n"
        "  author={Kallis, Rafael and Colavito, Giuseppe and Al-Kaswan, Ali and Pascarella, "
        "Luca and Chaparro, Oscar and Rani, Pooja},\n"
        "  title={The NLBSE'24 Tool Competition},\n"
        "  booktitle={Proceedings of The 3rd International Workshop on Natural Language-based "
        "Software Engineering (NLBSE'24)},\n"
        "  year={2024}\n"
        "}"
    ),
    subsets=NLBSE2024_SUBSETS,
    classes=["bug", "feature", "question"],
    published=(
        # The README's table (0.8270 and the per-repository figures behind it). The
        # competition's output/setfit/results.json holds another run of the same template,
        # 0.8240: react 0.8751, tensorflow 0.8679, vscode 0.8031, bitcoin 0.7507, opencv 0.8231.
        _figure(
            "SetFit (all-mpnet-base-v2)",
            {
                "facebook/react": (0.8718, 0.9268, 0.8738, 0.8148),
                "tensorflow/tensorflow": (0.8644, 0.9167, 0.8725, 0.8039),
                "microsoft/vscode": (0.8262, 0.8442, 0.8257, 0.8087),
                "bitcoin/bitcoin": (0.7555, 0.7449, 0.8454, 0.6762),
                "opencv/opencv": (0.8173, 0.7805, 0.8615, 0.8100),
                "overall": (0.8270, 0.8426, 0.8558, 0.7827),
            },
            f"{NLBSE2024_REPOSITORY}/blob/{NLBSE2024_REVISION}/README.md#setfit",
            notes=(
                "The README's table. The benchmark's output/setfit/results.json holds another "
                "run of the same template: 0.8240 (facebook/react 0.8751, tensorflow/tensorflow "
                "0.8679, microsoft/vscode 0.8031, bitcoin/bitcoin 0.7507, opencv/opencv 0.8231)."
            ),
        ),
        _figure(
            "RoBERTa",
            {
                "facebook/react": (0.8441, 0.9333, 0.8200, 0.7789),
                "tensorflow/tensorflow": (0.8585, 0.9043, 0.8768, 0.7943),
                "microsoft/vscode": (0.7643, 0.7692, 0.7477, 0.7760),
                "bitcoin/bitcoin": (0.7526, 0.7463, 0.8416, 0.6701),
                "opencv/opencv": (0.7422, 0.6763, 0.7429, 0.8073),
                "overall": (0.7923, 0.8059, 0.8058, 0.7653),
            },
            f"{NLBSE2024_REPOSITORY}/blob/{NLBSE2024_REVISION}/output/roberta/results.json",
        ),
        _figure(
            "fastText",
            {
                "facebook/react": (0.7876, 0.9137, 0.7525, 0.6965),
                "tensorflow/tensorflow": (0.7063, 0.7714, 0.7474, 0.6000),
                "microsoft/vscode": (0.7275, 0.7196, 0.6977, 0.7653),
                "bitcoin/bitcoin": (0.6618, 0.6344, 0.7560, 0.5951),
                "opencv/opencv": (0.7088, 0.6215, 0.7434, 0.7614),
                "overall": (0.7184, 0.7321, 0.7394, 0.6837),
            },
            f"{NLBSE2024_REPOSITORY}/blob/{NLBSE2024_REVISION}/output/fasttext/results.json",
        ),
    ),
)

BENCHMARKS: dict[str, BenchmarkDefinition] = {NLBSE2024.name: NLBSE2024}
