"""Pull request texts and the comments people and bots write on issues and pull requests."""

from __future__ import annotations

import random
from collections.abc import Collection

from demo.generator.texts import FEATURES, SYMPTOMS, TRIGGERS, Text, snippet

PACKAGES = (
    "pytest",
    "ruff",
    "mypy",
    "rich",
    "click",
    "pillow",
    "actions/checkout",
    "actions/setup-python",
    "pre-commit",
    "coverage",
)

_COMMENTS: dict[str, tuple[str, ...]] = {
    "ack": (
        "Thanks for the report! I can reproduce this on main.",
        "Thanks for opening this. Looks like a real problem, labelling it.",
        "Good catch, thank you. This comes from the {component} changes in the last release.",
    ),
    "ask_info": (
        "Thanks! Could you share a minimal example and the full traceback?",
        "I can't reproduce this. Which version and OS are you on?",
    ),
    "answer": (
        "You can do this with a custom theme:\n\n```python\n{snippet}\n```\n\nDoes that help?",
        "This is supported since 2.3, see the {component} section of the docs.",
    ),
    "author_reply": (
        "Sure, here is a smaller example:\n\n```python\n{snippet}\n```",
        "I'm on the latest release, Python 3.12 on Ubuntu.",
        "That works, thank you!",
        "Thanks, the workaround does the trick for now.",
    ),
    "community": (
        "Same here, also seeing this after upgrading.",
        "+1, we hit this too in production.",
        "Workaround until this is fixed: pin the previous version.",
        "I'd love this as well. Happy to help test.",
    ),
    "duplicate": ("Duplicate of #{other}. Closing, let's continue there.",),
    "wontfix": (
        "Thanks for the idea, but this is out of scope for the core library. "
        "A plugin is the way to go here.",
    ),
    "fixed": ("Fixed in #{other}, will be in the next release.", "Closed by #{other}. Thanks!"),
    "answered": ("Closing as answered, feel free to reopen if something is unclear.",),
    "reopen": ("This is still happening with the fix, reopening.",),
    "stale": (
        "This issue has been automatically marked as stale because it has not had recent "
        "activity. It will be closed if no further activity occurs.",
    ),
    "stale_closed": (
        "This issue was closed because it has been inactive for 14 days since being marked "
        "as stale.",
    ),
    "ci": (
        "**Coverage report**: {coverage}% of lines covered (+0.{delta}%). All checks passed. ✅",
        "📦 Preview build for this pull request is ready.",
    ),
    "review_comment": (
        "Could this use the existing helper instead of duplicating the logic?",
        "This needs a test for the empty case.",
        "nit: naming, `{word}` would be clearer here.",
        "This will break on Windows paths, better use `pathlib`.",
        "Can we avoid the extra allocation in this loop?",
    ),
    "review_reply": (
        "Good point, done.",
        "Fixed, thanks for catching that.",
        "I kept it on purpose: the helper does not handle the async case.",
    ),
    "pr_ack": (
        "Thanks for the pull request! I'll review it this week.",
        "Thank you! Adding it to the next review round.",
        "Thanks, this looks useful. Give me a day or two to look at it properly.",
    ),
    "changes_requested": (
        "Thanks for the PR! A few things to fix before we can merge, see the comments.",
        "Nice start. It needs tests and a changelog entry.",
    ),
    "approved": ("LGTM, thanks!", "Looks good to me 🚀", "Great work, thank you!", ""),
    "commented": ("Looking at this now, a couple of questions inline.",),
    "author_update": (
        "Thanks for the review! Addressed all comments in the latest push.",
        "Updated, and added a test for the empty case.",
    ),
    "superseded": ("Superseded by a newer version bump.",),
}


def comment_body(
    rng: random.Random, kind: str, *, avoid: Collection[str] = (), **context: object
) -> str | None:
    """A comment of `kind`. One in `avoid` (what this person already said there) gives way to
    the kind's next one; None when each has been said. It draws the same random numbers
    either way: a repeat avoided changes only that comment's words."""
    defaults = {
        "snippet": snippet(rng),
        "word": rng.choice(("layout", "theme", "width")),
        "coverage": rng.randint(86, 97),
        "delta": rng.randint(0, 9),
        "component": "this part",
        "other": 1,
    }
    templates = _COMMENTS[kind]
    first = templates.index(rng.choice(templates))
    for offset in range(len(templates)):
        body = templates[(first + offset) % len(templates)].format(**{**defaults, **context})
        if body not in avoid:
            return body
    return None


def pull_request_text(
    rng: random.Random, *, kind: str, component: str, fixes: int | None = None
) -> Text:
    """A pull request of `kind` (fix, feature, docs, chore) touching `component`."""
    if kind == "fix":
        title = rng.choice(
            (
                f"Fix {component} when {rng.choice(TRIGGERS)}",
                f"Fix: {component} {rng.choice(SYMPTOMS)}",
            )
        )
        summary = f"The {component} did not handle the edge case; this adds a guard and a test."
    elif kind == "feature":
        feature = rng.choice(FEATURES)
        title = rng.choice((f"Add {feature} to the {component}", f"feat: support {feature}"))
        summary = f"Adds {feature} behind an opt-in flag.\n\n```python\n{snippet(rng)}\n```"
    elif kind == "docs":
        title = rng.choice((f"docs: document the {component}", f"Improve the {component} guide"))
        summary = f"Adds an example for the {component} and fixes two broken links."
    else:
        title = rng.choice((f"Refactor {component} internals", "ci: speed up the test matrix"))
        summary = "No behaviour change; simplifies the code and the CI configuration."
    closes = f"Fixes #{fixes}\n\n" if fixes else ""
    body = (
        f"{closes}## Changes\n{summary}\n\n"
        "## Checklist\n- [x] Tests added or updated\n- [x] Changelog entry\n"
    )
    return Text(title, body)


def dependency_pr_text(rng: random.Random, *, renovate: bool) -> Text:
    package = rng.choice(PACKAGES)
    major, minor = rng.randint(1, 9), rng.randint(0, 20)
    old, new = f"{major}.{minor}.{rng.randint(0, 5)}", f"{major}.{minor + 1}.0"
    if renovate:
        title = f"chore(deps): update dependency {package} to v{new}"
        body = f"This PR updates `{package}` from `{old}` to `{new}`.\n\n---\n📅 Schedule: weekly."
    else:
        title = f"Bump {package} from {old} to {new}"
        body = (
            f"Bumps [{package}](https://github.com/{package}) from {old} to {new}.\n\n"
            "Dependabot will resolve any conflicts with this PR as long as you don't alter it "
            "yourself."
        )
    return Text(title, body)
