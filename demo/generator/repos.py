"""The demo organization's repositories and the labels each one uses."""

from __future__ import annotations

from dataclasses import dataclass

from community.github.payloads import GitHubLabel
from demo.generator.ids import IdAllocator

# Issue categories (the label a triage model learns) and the label each one gets.
BUG, FEATURE, QUESTION, DOCS = "bug", "feature", "question", "docs"
CATEGORY_LABELS = {BUG: "bug", FEATURE: "enhancement", QUESTION: "question", DOCS: "documentation"}


@dataclass(frozen=True, slots=True)
class RepoSpec:
    name: str
    description: str
    language: str
    topics: tuple[str, ...]
    private: bool
    item_share: float  # share of all issues and PRs
    categories: dict[str, float]  # issue category weights
    components: tuple[tuple[str, str], ...]  # (component, area label suffix)
    stars: int  # stargazers at scale 1
    first_version: str | None  # None: the repository does not publish releases
    release_every_days: int = 35
    age_days: int = 900  # the repository exists before the two years the demo covers

    @property
    def areas(self) -> list[str]:
        return sorted({f"area:{area}" for _, area in self.components})


REPOSITORIES: tuple[RepoSpec, ...] = (
    RepoSpec(
        name="widgets",
        description="Composable terminal and SVG widgets for Python dashboards.",
        language="Python",
        topics=("python", "widgets", "terminal", "svg", "dashboard"),
        private=False,
        item_share=0.56,
        categories={BUG: 0.42, FEATURE: 0.28, QUESTION: 0.18, DOCS: 0.12},
        components=(
            ("renderer", "rendering"),
            ("SVG export", "rendering"),
            ("font cache", "rendering"),
            ("layout engine", "layout"),
            ("grid widget", "layout"),
            ("table widget", "layout"),
            ("theme loader", "theming"),
            ("color palette", "theming"),
            ("event loop", "core"),
            ("async backend", "core"),
            ("plugin registry", "core"),
        ),
        stars=1400,
        first_version="2.0.0",
    ),
    RepoSpec(
        name="widgets-cli",
        description="Command-line tool to scaffold, build and preview widgets dashboards.",
        language="Python",
        topics=("cli", "widgets", "developer-tools"),
        private=False,
        item_share=0.24,
        categories={BUG: 0.45, FEATURE: 0.3, QUESTION: 0.15, DOCS: 0.1},
        components=(
            ("init command", "commands"),
            ("build command", "commands"),
            ("watch mode", "commands"),
            ("config file loader", "config"),
            ("shell completion", "ux"),
            ("progress output", "ux"),
        ),
        stars=320,
        first_version="0.8.0",
        release_every_days=50,
    ),
    RepoSpec(
        name="widgets-docs",
        description="Documentation site for widgets: guides, API reference and examples.",
        language="MDX",
        topics=("documentation", "widgets"),
        private=False,
        item_share=0.12,
        categories={DOCS: 0.62, BUG: 0.14, FEATURE: 0.12, QUESTION: 0.12},
        components=(
            ("getting started guide", "guides"),
            ("theming tutorial", "guides"),
            ("migration guide", "guides"),
            ("API reference", "reference"),
            ("examples gallery", "reference"),
        ),
        stars=90,
        first_version=None,
    ),
    RepoSpec(
        name="infra",
        description="Acme's internal infrastructure: CI runners, release pipeline, staging.",
        language="HCL",
        topics=(),
        private=True,
        item_share=0.08,
        categories={BUG: 0.5, FEATURE: 0.4, DOCS: 0.1},
        components=(
            ("CI runners", "ci"),
            ("release pipeline", "ci"),
            ("staging cluster", "cluster"),
            ("monitoring alerts", "monitoring"),
        ),
        stars=6,
        first_version=None,
    ),
)

_DEFAULT_LABELS = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)
_PROJECT_LABELS = (
    ("needs-triage", "fbca04", "Not looked at by a maintainer yet"),
    ("stale", "eeeeee", "No activity for a long time"),
    ("dependencies", "0366d6", "Pull requests that update a dependency file"),
    ("breaking-change", "b60205", "Changes public behaviour"),
)


def labels_build(ids: IdAllocator, spec: RepoSpec) -> dict[str, GitHubLabel]:
    """GitHub's default labels, the project's workflow labels and one `area:*` per area."""
    labels = [GitHubLabel(ids.next("label"), n, c, d, True) for n, c, d in _DEFAULT_LABELS]
    labels += [GitHubLabel(ids.next("label"), n, c, d) for n, c, d in _PROJECT_LABELS]
    labels += [
        GitHubLabel(ids.next("label"), area, "c5def5", f"Concerns {area.removeprefix('area:')}")
        for area in spec.areas
    ]
    return {label.name: label for label in labels}
