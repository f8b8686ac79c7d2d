"""Model cards: generated from a trained version, parsed back by huggingface_hub with the same
results, prose that maintainers edit and that survives regeneration, HTML that stays inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from huggingface_hub import ModelCard
from huggingface_hub.repocard_data import model_index_to_eval_results

from models_hub.cards import (
    EDITABLE_SECTIONS,
    CardSectionError,
    card_data,
    card_html,
    card_markdown,
    card_section_edit,
    card_sections,
)
from models_hub.cards.prose import MAX_SECTION_CHARS
from tests.factories import ModelVersionFactory
from tests.models_hub.scenarios.cards import benchmark_with_results, trained_version

pytestmark = pytest.mark.django_db

SECTION_IDS = [
    "summary",
    "details",
    "intended_use",
    "out_of_scope",
    "training_data",
    "training_procedure",
    "evaluation",
    "coverage",
    "limitations",
    "how_to_use",
    "reproducibility",
]


@pytest.fixture
def version(fake_encoder, model_store):
    return trained_version(fake_encoder)


def test_card_of_a_trained_version_has_every_section_and_the_per_label_table(version):
    sections = card_sections(version)
    markdown = card_markdown(version)

    assert [s.id for s in sections] == SECTION_IDS
    assert {s.id for s in sections if s.editable} == set(EDITABLE_SECTIONS)
    for section in sections:
        assert f"## {section.title}\n\n" in markdown and section.markdown.strip()
    per_label = version.metrics["per_label"]
    for label, scores in per_label.items():
        row = (
            f"| `{label}` | {scores['precision']:.4f} | {scores['recall']:.4f} "
            f"| {scores['f1']:.4f} | {scores['support']} |"
        )
        assert row in markdown
    assert f"| Macro F1 | {version.metrics['macro_f1']:.4f} |" in markdown
    by_id = {s.id: s.markdown for s in sections}
    assert f"| `bug` | {version.training_label_counts['bug']} |" in by_id["training_data"]
    assert "`regularisation_c`" in by_id["training_procedure"]
    assert f"**{version.metadata['threshold']:.4f}**" in by_id["coverage"]
    assert "| Confidence ≥ | Issues labelled | Precision |" in by_id["coverage"]
    assert "from steward_label_classifier import StewardLabelClassifier" in by_id["how_to_use"]
    reproducibility = by_id["reproducibility"]
    assert version.training_sha256 in reproducibility and version.command in reproducibility
    assert f"| Seed | {version.seed} |" in reproducibility
    assert f"| Cross-validation folds | {version.metrics['folds']} |" in reproducibility
    assert version.code_version in reproducibility and version.sha256 in reproducibility
    assert "No benchmark results for this version yet." in by_id["evaluation"]
    data = ModelCard(markdown).data
    assert data.license == "apache-2.0" and data.pipeline_tag == "text-classification"
    assert data.base_model == "test/fake-encoder" and "steward" in data.tags


def test_card_round_trips_through_huggingface_hub_with_the_same_results(
    version, maintainer, tmp_path
):
    results = benchmark_with_results(version, submitted_by=maintainer)
    expected = card_data(version).eval_results
    path = tmp_path / "README.md"
    path.write_text(card_markdown(version), encoding="utf-8")

    card = ModelCard.load(path)
    name, parsed = model_index_to_eval_results(card.data.to_dict()["model-index"])

    assert name == version.model.name
    assert card.data.eval_results == parsed == expected
    kfold = [e for e in parsed if e.dataset_type.startswith("github/")]
    assert [e.metric_type for e in kfold] == ["f1", "accuracy", "coverage_at_90_precision"]
    assert kfold[0].metric_value == version.metrics["macro_f1"]
    assert (
        kfold[0].dataset_revision == version.training_sha256 and kfold[0].dataset_split == "train"
    )
    assert kfold[0].source_url == f"{version.model.repository.html_url}/issues"
    # One result per benchmark: the verified one; the others are in the card's tables.
    [benchmark] = [e for e in parsed if e.dataset_type == "nlbse-issues"]
    assert (benchmark.metric_value, benchmark.metric_name) == (
        0.8123,
        "Macro F1 (Steward-verified)",
    )
    assert (benchmark.dataset_split, benchmark.dataset_revision) == ("test", "2024.1")
    assert benchmark.dataset_config == version.model.repository.full_name
    assert benchmark.source_name == "Steward verified evaluation"
    assert benchmark.source_url == "https://nlbse2024.github.io/tools/"
    # Only Hugging Face's evaluation service may claim `verified`.
    assert all(e.verified is None and e.verify_token is None for e in parsed)

    evaluation = {s.id: s.markdown for s in card_sections(version)}["evaluation"]
    assert "| `acme/gadgets` |" not in evaluation  # subset names are text cells
    assert "| acme/gadgets | 0.7900 | 120 |" in evaluation
    assert "| acme/widgets | 0.8300 | - |" in evaluation
    assert "#### NLBSE'24 issue report classification: per class (verified)" in evaluation
    assert f"**Self-reported** by {maintainer.get_username()}" in evaluation
    assert "**Published** ([reference](https://example.org/paper))" in evaluation
    assert "| SetFit baseline | 0.8260 | [source](https://example.org/setfit) |" in evaluation
    assert "(other systems)" in evaluation
    assert results["reference"].version is None


def test_prose_edits_survive_regeneration_while_metadata_follows_the_version(maintainer):
    first = ModelVersionFactory(version=1, training_rows=30, training_sha256="a" * 64)
    model = first.model
    before = model.updated_at
    card_section_edit(
        model=model, section_id="summary", text="Trained on **our** issues.", actor=maintainer
    )
    card_section_edit(
        model=model, section_id="limitations", text="- Knows no `docs` label.", actor=maintainer
    )

    newer = ModelVersionFactory(
        model=model, version=2, training_rows=45, training_sha256="b" * 64, seed=7
    )
    sections = {s.id: s for s in card_sections(newer)}

    assert model.updated_at > before
    assert (
        sections["summary"].markdown == "Trained on **our** issues." and sections["summary"].edited
    )
    assert sections["limitations"].markdown == "- Knows no `docs` label."
    assert (
        not sections["intended_use"].edited and "triage queue" in sections["intended_use"].markdown
    )
    reproducibility = sections["reproducibility"].markdown
    assert "| Training rows | 45 |" in reproducibility and "| Seed | 7 |" in reproducibility
    assert "b" * 64 in card_markdown(newer) and "a" * 64 not in card_markdown(newer)
    assert "Trained on **our** issues." in card_markdown(first)  # per model: every version

    card_section_edit(model=model, section_id="summary", text="  ", actor=maintainer)
    newer.model.refresh_from_db()
    assert not {s.id: s for s in card_sections(newer)}["summary"].edited


def test_only_prose_sections_of_bounded_length_can_be_edited(maintainer):
    model = ModelVersionFactory().model
    with pytest.raises(CardSectionError, match="not an editable section"):
        card_section_edit(model=model, section_id="evaluation", text="99%", actor=None)
    with pytest.raises(CardSectionError, match="at most"):
        card_section_edit(
            model=model, section_id="summary", text="x" * (MAX_SECTION_CHARS + 1), actor=maintainer
        )
    model.refresh_from_db()
    assert model.card_sections == {}


def test_scripts_and_javascript_links_in_edited_prose_render_inert(maintainer):
    version = ModelVersionFactory()
    hostile = (
        "<script>alert(1)</script>\n\n"
        "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) [rel](/admin/)\n\n"
        '<a href="javascript:alert(3)" onclick="alert(4)">a</a>\n\n'
        '<img src="x" onerror="alert(5)"> ![data](data:image/png;base64,AAAA)\n\n'
        '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>\n\n'
        "[ok](https://example.org) ![logo](https://example.org/logo.png) [mail](mailto:a@b.c)"
    )
    card_section_edit(
        model=version.model, section_id="intended_use", text=hostile, actor=maintainer
    )

    html = card_html(version)
    parsed = _Elements()
    parsed.feed(html)

    assert not {"script", "style", "iframe", "form", "object", "embed"} & parsed.tags
    assert not [name for _, name, _ in parsed.attributes if name.startswith("on")]
    hrefs = [value for tag, name, value in parsed.attributes if name == "href"]
    sources = [value for tag, name, value in parsed.attributes if name == "src"]
    assert hrefs and all(h.startswith(("https://", "http://", "mailto:")) for h in hrefs)
    assert sources == ["https://example.org/logo.png"]
    assert "alert(1)</script>" not in html and "display:none" not in html
    assert "[x](javascript:alert(1))" in html  # left as text, not a link
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in html
    assert "<table>" in html and "<h2>Evaluation</h2>" in html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name.lower(), (value or "").strip()) for name, value in attrs]


def test_a_version_never_evaluated_still_has_a_card():
    version = ModelVersionFactory(metrics={"evaluated": False, "reason": "too few issues"})

    markdown = card_markdown(version)

    assert "This version was not evaluated: too few issues." in markdown
    assert ModelCard(markdown).data.eval_results is None


@pytest.mark.parametrize(
    ("combination", "members", "shown"),
    [
        ("product", '["main", "ngrams"]', "the normalised product of two"),
        ("product", None, "the normalised product of three"),
        (None, None, "the average of three"),
    ],
)
def test_an_ensembles_card_says_how_its_members_combine(combination, members, shown):
    hyperparameters = {"method": "ensemble", "finetune_top_layers": "2"}
    if combination:
        hyperparameters["ensemble_combination"] = combination  # absent: trained before products
    if members:
        hyperparameters["ensemble_members"] = members  # absent: trained with three
    version = ModelVersionFactory(hyperparameters=hyperparameters)

    details = {s.id: s.markdown for s in card_sections(version)}["details"]

    assert shown in details and "top 2 layers tuned" in details
    assert ("frozen sentence embedding" in details) == (members is None)
