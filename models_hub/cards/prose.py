"""The prose of a card: the sections maintainers may rewrite, and what they say until someone
does.

Edits are stored per model in `RegisteredModel.card_sections` ({section id: markdown}), so they
apply to every version's card and survive regeneration; everything else on the card (metadata,
tables, the model-index) is generated from the version each time. An empty edit removes it and
brings the generated text back. The markdown is stored as written: it is rendered through the
sanitiser (render.py) wherever it becomes HTML.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from models_hub.models import ModelVersion, RegisteredModel

logger = logging.getLogger(__name__)

EDITABLE_SECTIONS: dict[str, str] = {
    "summary": "Summary",
    "intended_use": "Intended use",
    "out_of_scope": "Out-of-scope use",
    "limitations": "Limitations and biases",
}
MAX_SECTION_CHARS = 20_000


class CardSectionError(ValueError):
    """Not an editable section, or text too long (the message says which)."""


def card_section_edit(
    *, model: RegisteredModel, section_id: str, text: str, actor=None
) -> RegisteredModel:
    """Store a maintainer's markdown for one prose section of the model's card ("" reverts it to
    the generated text). The caller has checked that `actor` may edit this model."""
    if section_id not in EDITABLE_SECTIONS:
        raise CardSectionError(
            f"{section_id!r} is not an editable section (one of {', '.join(EDITABLE_SECTIONS)})"
        )
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_SECTION_CHARS:
        raise CardSectionError(
            f"{EDITABLE_SECTIONS[section_id]}: {len(text)} characters, at most {MAX_SECTION_CHARS}"
        )
    with transaction.atomic():
        # Locked and read again: two maintainers editing two sections keep both edits.
        locked = RegisteredModel.objects.select_for_update().get(pk=model.pk)
        sections = dict(locked.card_sections or {})
        if text:
            sections[section_id] = text
        else:
            sections.pop(section_id, None)
        locked.card_sections = sections
        locked.updated_at = timezone.now()
        locked.save(update_fields=["card_sections", "updated_at"])
    logger.info(
        "card section %s of %s edited by %s",
        section_id,
        model.name,
        actor.get_username() if actor is not None else "system",
    )
    model.card_sections, model.updated_at = locked.card_sections, locked.updated_at
    return model


def prose_sections(version: ModelVersion) -> dict[str, tuple[str, bool]]:
    """{section id: (markdown, edited)}: the maintainers' text where they wrote one."""
    edited = version.model.card_sections or {}
    generated = _generated_prose(version)
    return {
        section_id: (edited[section_id], True)
        if str(edited.get(section_id) or "").strip()
        else (generated[section_id], False)
        for section_id in EDITABLE_SECTIONS
    }


def _generated_prose(version: ModelVersion) -> dict[str, str]:
    model = version.model
    repo = f"`{model.repository.full_name}`" if model.repository_id else "its repository"
    floor = version.metadata.get("min_per_label")
    return {
        "summary": (model.description or f"Suggests one of {repo}'s labels for a new issue.")
        + " It suggests nothing when it is unsure: a maintainer sees no label rather than a"
        " likely wrong one.",
        "intended_use": (
            f"Suggesting a label for new issues of {repo} to its maintainers, who accept or"
            " reject each suggestion in Steward's triage queue (or let Steward apply it, when"
            " they turned write-back on). Each suggestion comes with its confidence; below the"
            " calibrated threshold the classifier abstains."
        ),
        "out_of_scope": (
            "- Labelling issues without a maintainer's review where a wrong label has a cost.\n"
            f"- Issues of other repositories: it knows only {repo}'s labels and vocabulary.\n"
            "- Labels it was not trained on (a label added later is never suggested), and text"
            " that is not an issue or pull request (comments, commits, chat).\n"
            "- Judging people: the model scores issue text, not contributors."
        ),
        "limitations": (
            "- It learns how maintainers labelled past issues, inconsistencies included, and"
            " favours the labels they used most.\n"
            + (
                f"- Labels with fewer than {floor} labelled issues were not learnt.\n"
                if floor
                else ""
            )
            + "- Its base model was trained mostly on English text; issues in other languages"
            " are classified on their words and code alone, less reliably.\n"
            "- Evaluation is on the same repository's past issues: when templates, labels or"
            " the project change, its figures stop describing it until it is retrained.\n"
            "- It inherits the biases of its base model (see that model's card)."
        ),
    }
