"""Priority: each signal, and the level crafted issues end up at."""

from __future__ import annotations

import pytest

from models_hub.models import Priority
from models_hub.triage.priority import PriorityFacts, priority_assess


def _signals(facts: PriorityFacts) -> dict[str, float]:
    return {s["signal"]: s["weight"] for s in priority_assess(facts).signals}


@pytest.mark.parametrize(
    ("title", "body", "level"),
    [
        ("XSS vulnerability in the comment preview", "", Priority.CRITICAL),
        ("Upgrade wipes out my saved dashboards", "We lost all data after 2.3.", Priority.HIGH),
        ("Segfault on startup", "", Priority.HIGH),
        (
            "Chart colors look slightly off",
            "The blue is a bit darker than before.",
            Priority.NORMAL,
        ),
    ],
)
def test_severity_words_set_the_level(title, body, level):
    assert priority_assess(PriorityFacts(title=title, body=body)).level == level


def test_each_signal_says_what_it_saw():
    facts = PriorityFacts(
        title="App crashes since 2.4",
        body="This is a regression: it used to work in 2.3.",
        labels=["bug"],
        reactions=7,
        comments=3,
        similar_open=2,
        author_association="MEMBER",
    )

    assessment = priority_assess(facts)

    by_name = {s["signal"]: s for s in assessment.signals}
    assert by_name["crash"]["detail"] == "“crashes” in the title"
    assert by_name["regression"]["detail"] == "“regression” in the body"
    assert by_name["reactions"] == {"signal": "reactions", "weight": 1.2, "detail": "7 reactions"}
    assert by_name["comments"]["weight"] == 0.5
    assert by_name["similar_open_issues"]["weight"] == 0.8
    assert by_name["author"]["detail"] == "reported by a maintainer (member)"
    assert assessment.score == pytest.approx(1.5 + 1.5 + 1.2 + 0.5 + 0.8 + 0.5)
    assert assessment.level == Priority.CRITICAL
    assert 0.5 <= assessment.confidence <= 1.0


def test_labels_count_as_much_as_words():
    assert _signals(PriorityFacts(title="Login page", body="", labels=["security"]))[
        "security"
    ] == pytest.approx(3.5)
    urgent = priority_assess(PriorityFacts(title="Build", body="", labels=["P0"]))
    assert urgent.level == Priority.CRITICAL and urgent.signals[0]["signal"] == "urgent_label"


def test_questions_docs_and_old_quiet_issues_are_low():
    question = PriorityFacts(
        title="How do I change the font?", body="", suggested_label="question", age_days=400
    )
    docs = PriorityFacts(title="Typo in README", body="", labels=["type: documentation"])
    feature = PriorityFacts(title="Add PNG export", body="", suggested_label="enhancement")

    assert priority_assess(question).level == Priority.LOW
    assert _signals(question) == {"kind": -1.0, "age": -0.5}
    assert priority_assess(docs).level == Priority.LOW
    assert priority_assess(feature).level == Priority.NORMAL
    assert _signals(feature) == {"kind": -0.5}


def test_engagement_is_capped():
    loud = _signals(PriorityFacts(title="x", body="", reactions=5000, comments=900, similar_open=9))
    assert loud == {"reactions": 1.2, "comments": 1.0, "similar_open_issues": 1.2}
    quiet = PriorityFacts(title="Plain report", body="", comments=1)
    assert priority_assess(quiet).signals == [] and priority_assess(quiet).level == Priority.NORMAL
