"""Every table of a rendered model card has a real header row: no empty `<th></th>` cells
(review bug 16: "Model details" and "Reproducibility" started with an empty header)."""

from __future__ import annotations

import re

import pytest

from models_hub.cards import card_html
from tests.models_hub.scenarios.cards import trained_version

pytestmark = pytest.mark.django_db


def test_every_card_table_has_named_headers(fake_encoder, model_store):
    version = trained_version(fake_encoder)

    html = card_html(version)

    heads = re.findall(r"<thead>(.*?)</thead>", html, flags=re.S)
    assert len(heads) >= 3  # details, evaluation, reproducibility at least
    for head in heads:
        names = re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)
        assert names and all(name.strip() for name in names), head
    assert "<th>Field</th>" in html and "<th>Value</th>" in html
