"""Priority: a level (critical, high, normal, low) from explainable signals.

Each signal is `{"signal", "weight", "detail"}`; the score is the sum of the weights and the
level follows `LEVELS`. Signals:

- severity words in the labels, title or body: security (+3.5, critical on its own), data loss
  (+2.5), crash, hang or leak (+1.5), regression (+1.5); a label named critical / blocker / P0
  / urgent (+3.5);
- engagement: reactions (+0.4 per doubling, at most +1.2), comments (+0.25 per doubling from
  two, at most +1);
- open near-duplicates (duplicate candidates at `NEAR_DUPLICATE` or more): +0.4 each, at most
  +1.2 — many people hit it;
- the author's association: a maintainer (owner, member, collaborator) reporting (+0.5);
- the kind of issue: a question or documentation (-1), a feature request (-0.5);
- age: open for more than `OLD` with little attention (-0.5).

Pure: facts in, assessment out (no database), so every rule is tested directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from models_hub.models import Priority

LEVELS = ((3.5, Priority.CRITICAL), (1.5, Priority.HIGH), (-0.75, Priority.NORMAL))
# Duplicate candidates this similar count as "the same problem" (all-MiniLM-L6-v2 cosine).
NEAR_DUPLICATE = 0.85
OLD_DAYS = 180
MAINTAINERS = {"OWNER", "MEMBER", "COLLABORATOR"}

_SEVERITY = (
    (
        "security",
        3.5,
        r"security|vulnerab\w*|cve-\d{4}-\d+|exploit\w*|xss|csrf|sql injection|"
        r"remote code execution|privilege escalation",
    ),
    (
        "data_loss",
        2.5,
        r"data loss|los[est]{1,2} (?:all |my |the |our )?(?:data|work|files?)|corrupt\w*|"
        r"wipe[sd]? out|deletes? (?:all|my|every)\w*",
    ),
    (
        "crash",
        1.5,
        r"crash\w*|segfault\w*|segmentation fault|panic\w*|core dump\w*|hangs?|hanging|"
        r"freez\w*|deadlock\w*|out of memory|leaks? memory|memory leak\w*",
    ),
    (
        "regression",
        1.5,
        r"regression\w*|used to work|worked in (?:the )?previous|no longer works|"
        r"stopped working|broke (?:after|since|in)",
    ),
)
_SEVERITY_PATTERNS = [
    (name, weight, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for name, weight, words in _SEVERITY
]
_URGENT_LABEL = re.compile(r"\b(?:critical|blocker|p0|urgent)\b", re.IGNORECASE)
# "question", "docs", "type: documentation", "kind/question"…
_QUESTION_OR_DOCS = re.compile(r"\b(?:question|docs?|documentation)$", re.IGNORECASE)
_FEATURE = re.compile(r"\b(?:enhancement|feature\w*)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PriorityFacts:
    title: str
    body: str
    labels: Sequence[str] = ()  # on GitHub now
    suggested_label: str | None = None  # the classifier's, when it did not abstain
    reactions: int = 0
    comments: int = 0
    similar_open: int = 0  # open near-duplicates
    author_association: str = ""
    age_days: float = 0.0


@dataclass(frozen=True)
class PriorityAssessment:
    level: Priority
    score: float
    signals: list[dict]

    @property
    def confidence(self) -> float:
        """0.5 on a level's boundary, growing to 1.0 two points inside it."""
        bounds = [bound for bound, _ in LEVELS]
        margin = min(abs(self.score - bound) for bound in bounds)
        return round(min(1.0, 0.5 + margin / 4), 3)


def _signal(name: str, weight: float, detail: str) -> dict:
    return {"signal": name, "weight": round(weight, 2), "detail": detail}


def _severity(facts: PriorityFacts) -> list[dict]:
    found = []
    sources = (("label", " ".join(facts.labels)), ("title", facts.title), ("body", facts.body))
    for name, weight, pattern in _SEVERITY_PATTERNS:
        for where, text in sources:
            match = pattern.search(text or "")
            if match:
                found.append(_signal(name, weight, f"“{match.group(0)}” in the {where}"))
                break
    urgent = [label for label in facts.labels if _URGENT_LABEL.search(label)]
    if urgent:
        found.append(_signal("urgent_label", 3.5, f"labelled {urgent[0]}"))
    return found


def _engagement(facts: PriorityFacts) -> list[dict]:
    found = []
    if facts.reactions > 0:
        weight = min(1.2, 0.4 * math.log2(1 + facts.reactions))
        found.append(_signal("reactions", weight, f"{facts.reactions} reactions"))
    if facts.comments >= 2:
        weight = min(1.0, 0.25 * math.log2(1 + facts.comments))
        found.append(_signal("comments", weight, f"{facts.comments} comments"))
    if facts.similar_open > 0:
        weight = min(1.2, 0.4 * facts.similar_open)
        detail = f"{facts.similar_open} similar open issue(s): more people hit it"
        found.append(_signal("similar_open_issues", weight, detail))
    return found


def _context(facts: PriorityFacts) -> list[dict]:
    found = []
    association = facts.author_association.upper()
    if association in MAINTAINERS:
        found.append(_signal("author", 0.5, f"reported by a maintainer ({association.lower()})"))
    kinds = [*facts.labels, *([facts.suggested_label] if facts.suggested_label else [])]
    if any(_QUESTION_OR_DOCS.search(kind) for kind in kinds):
        found.append(_signal("kind", -1.0, "a question or documentation issue"))
    elif any(_FEATURE.search(kind) for kind in kinds):
        found.append(_signal("kind", -0.5, "a feature request"))
    if facts.age_days > OLD_DAYS and facts.reactions < 3:
        detail = f"open for {int(facts.age_days)} days with little attention"
        found.append(_signal("age", -0.5, detail))
    return found


def priority_assess(facts: PriorityFacts) -> PriorityAssessment:
    signals = [*_severity(facts), *_engagement(facts), *_context(facts)]
    score = round(sum(signal["weight"] for signal in signals), 2)
    level = next((level for bound, level in LEVELS if score >= bound), Priority.LOW)
    return PriorityAssessment(level=level, score=score, signals=signals)
