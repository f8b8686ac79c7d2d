"""Model cards: a version's README.md for the Hugging Face Hub and its HTML for Steward's pages.

Generated from the version's metadata with huggingface_hub (`ModelCardData` and `EvalResult`
write the YAML front matter and the model-index; which results go there and why is in
metadata.py), plus markdown sections: summary, model details, intended and out-of-scope use,
training data, training procedure, evaluation (k-fold per label; benchmark results, each marked
verified / published / self-reported, with per-subset tables of verified ones), coverage at the
calibrated threshold, limitations and biases, how to use the exported folder, reproducibility.

The prose sections (`EDITABLE_SECTIONS`) are the maintainers' to rewrite
(`card_section_edit`); their text is kept per model and survives regeneration, while metadata
and tables follow the version. Importable in the web process: no torch here.

- `card_data(version) -> ModelCardData`, `card_markdown(version) -> str` (README.md),
  `card_sections(version) -> list[CardSection]`, `card_html(version) -> str` (sanitised).
"""

from models_hub.cards.metadata import card_data
from models_hub.cards.prose import EDITABLE_SECTIONS, CardSectionError, card_section_edit
from models_hub.cards.render import card_body, card_html, card_markdown
from models_hub.cards.sections import CardSection, card_sections

__all__ = [
    "EDITABLE_SECTIONS",
    "CardSection",
    "CardSectionError",
    "card_body",
    "card_data",
    "card_html",
    "card_markdown",
    "card_section_edit",
    "card_sections",
]
