"""The sections of a model card, in order; the prose ones are the maintainers' to edit
(prose.py), the others are generated from the version every time."""

from __future__ import annotations

import json
from dataclasses import dataclass

from models_hub.cards.evaluation import coverage_markdown, evaluation_markdown
from models_hub.cards.metadata import HUB_ID
from models_hub.cards.prose import EDITABLE_SECTIONS, prose_sections
from models_hub.cards.results import VersionResults, version_results
from models_hub.cards.tables import EMPTY, cell, code, link, markdown_table, percent, when
from models_hub.cards.usage import how_to_use_markdown, reproducibility_markdown
from models_hub.models import CHAMPION, ModelKind, ModelVersion
from models_hub.training.ensemble import FROZEN_MEMBER

METHODS = {
    "frozen": "the base model's sentence embedding as is (frozen), beside hashed word n-grams, "
    "read by a logistic regression",
    "finetuned": "the base model with its top {top_layers} layers tuned on the repository's "
    "labelled issues, beside hashed word n-grams, read by a logistic regression",
    "ensemble": "the {combination} of {count} logistic regressions' probabilities: the "
    "`finetuned` method's (the base model with its top {top_layers} layers tuned, beside hashed "
    "word n-grams), one on TF-IDF word and character n-grams{frozen}",
}
FEATURES = (
    "the embedding of the prepared text (times `embedding_weight`), hashed word 1-2 grams of "
    "the text and, in a block of their own, of its title (2^16 each, unit length per block)"
)


@dataclass(frozen=True)
class CardSection:
    id: str
    title: str
    markdown: str
    editable: bool
    edited: bool = False  # editable and rewritten by a maintainer


SECTION_ORDER = (
    ("summary", "Summary"),
    ("details", "Model details"),
    ("intended_use", EDITABLE_SECTIONS["intended_use"]),
    ("out_of_scope", EDITABLE_SECTIONS["out_of_scope"]),
    ("training_data", "Training data"),
    ("training_procedure", "Training procedure"),
    ("evaluation", "Evaluation"),
    ("coverage", "Coverage at the calibrated threshold"),
    ("limitations", EDITABLE_SECTIONS["limitations"]),
    ("how_to_use", "How to use"),
    ("reproducibility", "Reproducibility"),
)


def card_sections(
    version: ModelVersion, results: VersionResults | None = None
) -> list[CardSection]:
    results = results if results is not None else version_results(version=version)
    prose = prose_sections(version)
    generated = {
        "details": lambda: details_markdown(version),
        "training_data": lambda: training_data_markdown(version),
        "training_procedure": lambda: training_procedure_markdown(version),
        "evaluation": lambda: evaluation_markdown(version, results),
        "coverage": lambda: coverage_markdown(version),
        "how_to_use": lambda: how_to_use_markdown(version),
        "reproducibility": lambda: reproducibility_markdown(version),
    }
    sections = []
    for section_id, title in SECTION_ORDER:
        if section_id in prose:
            text, edited = prose[section_id]
            sections.append(CardSection(section_id, title, text, True, edited))
        else:
            sections.append(CardSection(section_id, title, generated[section_id](), False))
    return sections


def version_labels(version: ModelVersion) -> list[str]:
    return list(version.metadata.get("labels") or sorted(version.training_label_counts))


def method_of(version: ModelVersion) -> str:
    return str(version.hyperparameters.get("method") or version.metadata.get("method") or "")


def base_model_link(version: ModelVersion) -> str:
    base = version.base_model_id
    if not base:
        return EMPTY
    shown = link(base, f"https://huggingface.co/{base}") if HUB_ID.match(base) else code(base)
    revision = (
        f" (revision {code(version.base_model_revision)})" if version.base_model_revision else ""
    )
    return shown + revision


def details_markdown(version: ModelVersion) -> str:
    model = version.model
    aliases = sorted(version.aliases.values_list("name", flat=True))
    method = method_of(version)
    repository = model.repository
    trained = when(version.trained_at)
    if version.trained_by is not None:
        trained += f" by {cell(version.trained_by.get_username())}"
    if version.trained_via:
        trained += f" via {cell(version.get_trained_via_display())}"
    if version.train_seconds is not None:
        trained += f", in {version.train_seconds:.1f} s"
    rows = [
        ["Model", code(model.name)],
        [
            "Version",
            f"v{version.version}" + (f" ({', '.join(map(code, aliases))})" if aliases else ""),
        ],
        [
            "Kind",
            cell(ModelKind(model.kind).label if model.kind in ModelKind.values else model.kind),
        ],
        ["Task", code(model.task)],
        ["Method", cell(method) + (f": {_method_text(version)}" if method in METHODS else "")],
        ["Base model", base_model_link(version)],
        ["Labels", ", ".join(code(label) for label in version_labels(version)) or EMPTY],
        ["Threshold", cell(version.metadata.get("threshold"))],
        ["Repository", link(repository.full_name, repository.html_url) if repository else EMPTY],
        ["License", code(model.license)],
        ["Trained", trained],
        ["Weights", f"`model.safetensors`, sha256 {code(version.sha256)}"],
    ]
    note = (
        f"\n\nThe `{CHAMPION}` alias marks the version Steward's triage uses."
        if CHAMPION in aliases
        else ""
    )
    return markdown_table(["Field", "Value"], rows) + note


# How an ensemble's members combine (models_hub/training/ensemble.py); versions trained before
# the product averaged.
COMBINATIONS = {"product": "normalised product", "mean": "average"}


def _method_text(version: ModelVersion) -> str:
    top = version.hyperparameters.get("finetune_top_layers", "top")
    combination = COMBINATIONS.get(version.hyperparameters.get("ensemble_combination"), "average")
    frozen = FROZEN_MEMBER in _ensemble_members(version)
    return METHODS[method_of(version)].format(
        top_layers=top,
        combination=combination,
        count="three" if frozen else "two",
        frozen=", one on the frozen sentence embedding" if frozen else "",
    )


def _ensemble_members(version: ModelVersion) -> list[str]:
    """An ensemble's members, as training recorded them (a JSON list); versions trained before
    they were recorded had three."""
    members = version.hyperparameters.get("ensemble_members")
    if members is None:
        return ["frozen", "main", "ngrams"]
    return json.loads(members) if isinstance(members, str) else list(members)


def training_data_markdown(version: ModelVersion) -> str:
    metadata = version.metadata or {}
    counts = version.training_label_counts or {}
    total = sum(counts.values()) or version.training_rows
    scope = (
        f"`{version.model.repository.full_name}`"
        if version.model.repository_id
        else "the repository"
    )
    parts = [
        f"{version.training_rows} issues of {scope}, each with one label that "
        "its maintainers applied (or accepted or rejected in Steward's triage queue). Labels "
        "that go together with others on the same issue (areas, priorities) and workflow "
        "labels are not learnt; issues carrying two learnt labels are left out."
    ]
    if counts:
        parts.append(
            markdown_table(
                ["Label", "Issues", "Share"],
                [
                    [code(label), str(n), percent(n / total if total else None)]
                    for label, n in sorted(counts.items())
                ],
            )
        )
    facts = []
    if metadata.get("min_per_label"):
        facts.append(f"A label needs {metadata['min_per_label']} labelled issues to be learnt.")
    candidates = metadata.get("candidate_labels") or {}
    left = {label: n for label, n in candidates.items() if label not in counts}
    if left:
        facts.append(
            "Labels seen but not learnt: "
            + ", ".join(f"{code(label)} ({n})" for label, n in sorted(left.items()))
            + "."
        )
    if metadata.get("ambiguous_issues_left_out"):
        left_out = metadata["ambiguous_issues_left_out"]
        facts.append(f"Issues left out for carrying two learnt labels: {left_out}.")
    feedback = metadata.get("feedback") or {}
    if any(feedback.values()):
        facts.append(
            "Maintainers' feedback in the triage queue: "
            + ", ".join(f"{cell(k.replace('_', ' '))} {v}" for k, v in sorted(feedback.items()))
            + "."
        )
    facts.append(
        "Text: the title, a blank line and the body, with HTML comments removed, long code blocks "
        "and stack traces cut to their first lines, images and URLs reduced (Steward's "
        "`issue_text`, bundled in the loader)."
    )
    parts.append("\n".join(f"- {fact}" for fact in facts))
    return "\n\n".join(parts)


def training_procedure_markdown(version: ModelVersion) -> str:
    method = method_of(version)
    intro = (
        f"Method `{method}`: {_method_text(version)}." if method in METHODS else "Method: unknown."
    )
    intro += f" Features: {FEATURES}."
    hyperparameters = markdown_table(
        ["Hyperparameter", "Value"],
        [[code(key), code(value)] for key, value in sorted(version.hyperparameters.items())],
    )
    seconds = (
        f"\n\nTraining took {version.train_seconds:.1f} s on the machine that trained it."
        if version.train_seconds is not None
        else ""
    )
    return f"{intro}\n\n{hyperparameters}{seconds}"
