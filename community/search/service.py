"""Search everywhere: issues, pull requests and comments of the repositories a user may see.

Each source is ranked on its own — full text per table, semantic over the stored embeddings —
and the lists are merged by reciprocal rank fusion (RRF: an item scores Σ 1 / (60 + its rank in
each list), so an item found both by its words and by its meaning rises above either alone).
Every source starts from the visibility querysets; the fused list holds keys only, and a page
loads just its own rows. `#123` / `owner/name#123` look up items by number instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from community.models import Comment, Issue, PullRequest, Repository
from community.search.fulltext import Hit, fulltext_ranked
from community.search.highlight import highlighted, snippet
from community.search.query import (
    NumberQuery,
    TextQuery,
    number_query,
    similar_query,
    text_query,
)
from community.search.semantic import SemanticOutcome, semantic_ranked, similar_ranked
from community.selectors.people import Contribution
from community.selectors.visibility import (
    comments_visible_to,
    issues_visible_to,
    pull_requests_visible_to,
    repositories_visible_to,
)

KINDS = ("issue", "pull", "comment")
STATES = ("open", "closed", "merged")
RRF_K = 60
# A semantic match counts half a word match in the fusion: for the few words people type, the
# words are the sharper signal; meaning adds what the words missed and lifts items found by both.
SEMANTIC_WEIGHT = 0.5
# Ranked rows taken from each source: the fused list (and so the pages) go this deep.
FULLTEXT_DEPTH = 200
SEMANTIC_DEPTH = 50
MAX_QUERY_LENGTH = 500


@dataclass(frozen=True)
class SearchFilters:
    repository: str = ""  # full name, "" for every visible repository
    kind: str = ""  # one of KINDS, "" for all
    state: str = ""  # one of STATES, "" for any


@dataclass
class SearchResult:
    kind: str
    item: Issue | PullRequest  # the comment's issue or pull request, for a comment
    comment: Comment | None
    score: float
    found_by: tuple[str, ...]  # "words", "meaning"
    similarity: float | None
    title: SafeString
    excerpt: SafeString


@dataclass
class SearchResults:
    text: str
    number: NumberQuery | None = None
    numbered: list[Issue | PullRequest] = field(default_factory=list)
    people: list[Contribution] = field(default_factory=list)
    ranked: Sequence[SearchResult] = ()
    semantic: SemanticOutcome = field(default_factory=SemanticOutcome)
    similar: bool = False  # `similar:#123`: `number` names the item to compare with
    similar_to: Issue | PullRequest | None = None

    @property
    def jump_to(self) -> Issue | PullRequest | None:
        """The one item `#123` names, when exactly one visible item has that number."""
        if self.similar or self.number is None or not self.number.exact:
            return None
        return self.numbered[0] if len(self.numbered) == 1 else None


@dataclass(frozen=True)
class _Sources:
    repositories: QuerySet[Repository]
    issues: QuerySet[Issue] | None
    pull_requests: QuerySet[PullRequest] | None
    comments: QuerySet[Comment] | None


def _sources(*, user, filters: SearchFilters) -> _Sources:
    repositories = repositories_visible_to(user=user)
    if filters.repository:
        repositories = repositories.filter(full_name__iexact=filters.repository)
    issues = issues_visible_to(user=user).filter(repository__in=repositories)
    pulls = pull_requests_visible_to(user=user).filter(repository__in=repositories)
    comments = comments_visible_to(user=user).filter(
        repository__in=repositories,
        issue__deleted_at__isnull=True,
        pull_request__deleted_at__isnull=True,
    )
    if filters.state in ("open", "closed"):
        issues, pulls = issues.filter(state=filters.state), pulls.filter(state=filters.state)
        comments = comments.filter(
            Q(issue__state=filters.state) | Q(pull_request__state=filters.state)
        )
    elif filters.state == "merged":
        issues, pulls = None, pulls.filter(merged=True)
        comments = comments.filter(pull_request__merged=True)
    wanted = set(KINDS) if filters.kind not in KINDS else {filters.kind}
    return _Sources(
        repositories=repositories,
        issues=issues if "issue" in wanted else None,
        pull_requests=pulls if "pull" in wanted else None,
        comments=comments if "comment" in wanted else None,
    )


def items_numbered(*, user, number: NumberQuery, filters: SearchFilters) -> list:
    """Visible issues and pull requests with this number (in the named repository, if any)."""
    sources = _sources(user=user, filters=SearchFilters(repository=filters.repository))
    found: list = []
    for queryset in (sources.issues, sources.pull_requests):
        rows = queryset.filter(number=number.number)
        if number.full_name:
            rows = rows.filter(repository__full_name__iexact=number.full_name)
        found += rows.select_related("repository", "author")
    return sorted(found, key=lambda item: item.repository.full_name)


def search_everything(
    *, user, text: str, filters: SearchFilters, semantic: bool = True
) -> SearchResults:
    """What the search page and API show for `text` (people are searched apart, see `people`).
    `semantic=False`: word matches only (no query embedding)."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    results = SearchResults(text=text, number=number_query(text))
    if not text:
        return results
    if (similar := similar_query(text)) is not None:
        return _similar(user=user, results=results, number=similar, filters=filters)
    if results.number is not None:
        results.numbered = items_numbered(user=user, number=results.number, filters=filters)
        if results.number.exact:
            return results
    sources = _sources(user=user, filters=filters)
    query = text_query(text)
    lists = [
        fulltext_ranked(kind=kind, queryset=queryset, query=query, limit=FULLTEXT_DEPTH)
        for kind, queryset in (
            ("issue", sources.issues),
            ("pull", sources.pull_requests),
            ("comment", sources.comments),
        )
        if queryset is not None
    ]
    if semantic and results.number is None:
        results.semantic = semantic_ranked(
            text=text,
            repositories=sources.repositories,
            issues=sources.issues,
            pull_requests=sources.pull_requests,
            limit=SEMANTIC_DEPTH,
            min_similarity=settings.STEWARD_SEARCH_MIN_SIMILARITY,
        )
        if results.semantic.needs_worker:
            results.semantic = _neighbours_of_best_word_match(lists, sources, results.semantic)
        lists.append(results.semantic.hits)
    results.ranked = FusedResults(lists, query=query, semantic=results.semantic.hits)
    return results


def _neighbours_of_best_word_match(lists, sources, outcome: SemanticOutcome) -> SemanticOutcome:
    """Without a worker to encode the query: the items close in meaning to the best word-matched
    issue or pull request, from its stored vector (as `similar:`), keeping the note."""
    keys, _ = reciprocal_rank_fusion(lists)
    best = next((key for key in keys if key[0] in ("issue", "pull")), None)
    if best is None:
        return outcome
    queryset = sources.issues if best[0] == "issue" else sources.pull_requests
    item = queryset.select_related("repository").get(pk=best[1])
    similar = similar_ranked(
        item=item,
        repositories=sources.repositories,
        issues=sources.issues,
        pull_requests=sources.pull_requests,
        limit=SEMANTIC_DEPTH,
        min_similarity=settings.STEWARD_SEARCH_MIN_SIMILARITY,
    )
    return SemanticOutcome(
        hits=similar.hits,
        note=outcome.note,
        ran=similar.ran,
        needs_worker=True,
        neighbours_of=item,
    )


def _similar(
    *, user, results: SearchResults, number: NumberQuery, filters: SearchFilters
) -> SearchResults:
    """Items like the one `similar:#123` names, from its stored vector (no worker needed); a
    list to choose from when several repositories have that number."""
    results.number, results.similar = number, True
    results.numbered = items_numbered(user=user, number=number, filters=filters)
    if len(results.numbered) != 1:
        return results
    results.similar_to = results.numbered[0]
    sources = _sources(user=user, filters=filters)
    results.semantic = similar_ranked(
        item=results.similar_to,
        repositories=sources.repositories,
        issues=sources.issues,
        pull_requests=sources.pull_requests,
        limit=SEMANTIC_DEPTH,
        min_similarity=settings.STEWARD_SEARCH_MIN_SIMILARITY,
    )
    hits = results.semantic.hits
    results.ranked = FusedResults([hits], query=TextQuery(raw=""), semantic=hits)
    return results


def reciprocal_rank_fusion(
    lists: Sequence[Sequence[Hit]], *, weights: Sequence[float] | None = None, k: int = RRF_K
) -> tuple[list[tuple[str, int]], dict[tuple[str, int], float]]:
    """(kind, pk) keys, best first by their summed weight / (k + rank) over the lists (weight 1
    unless given), and the sums."""
    scores: dict[tuple[str, int], float] = {}
    for hits, weight in zip(lists, weights or [1.0] * len(lists), strict=True):
        for rank, hit in enumerate(hits, start=1):
            key = (hit.kind, hit.pk)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return sorted(scores, key=lambda key: (-scores[key], key)), scores


class FusedResults(Sequence):
    """The merged ranking; slicing it loads that slice's rows (a few queries per page)."""

    def __init__(self, lists: Sequence[Sequence[Hit]], *, query: TextQuery, semantic) -> None:
        weights = [SEMANTIC_WEIGHT if hits is semantic else 1.0 for hits in lists]
        self._keys, self._scores = reciprocal_rank_fusion(lists, weights=weights)
        self._by_words = {(h.kind, h.pk) for hits in lists for h in hits if hits is not semantic}
        self._similarity = {(h.kind, h.pk): h.score for h in semantic}
        self._words = query.highlight_words

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self._keys[index])
        return self._load([self._keys[index]])[0]

    def _load(self, keys: list[tuple[str, int]]) -> list[SearchResult]:
        wanted = {kind: [pk for k, pk in keys if k == kind] for kind in KINDS}
        rows = {
            "issue": Issue.objects.select_related("repository", "author").in_bulk(wanted["issue"]),
            "pull": PullRequest.objects.select_related("repository", "author").in_bulk(
                wanted["pull"]
            ),
            "comment": Comment.objects.select_related(
                "author", "issue__repository", "pull_request__repository"
            ).in_bulk(wanted["comment"]),
        }
        return [self._result(key, rows[key[0]][key[1]]) for key in keys if key[1] in rows[key[0]]]

    def _result(self, key: tuple[str, int], row) -> SearchResult:
        kind = key[0]
        comment = row if kind == "comment" else None
        item = row.parent if comment is not None else row
        found_by = tuple(
            name
            for name, present in (
                ("words", key in self._by_words),
                ("meaning", key in self._similarity),
            )
            if present
        )
        words = self._words if key in self._by_words else []
        return SearchResult(
            kind=kind,
            item=item,
            comment=comment,
            score=self._scores[key],
            found_by=found_by,
            similarity=self._similarity.get(key),
            # Only word matches are marked: an item found by its meaning alone has no such words.
            title=highlighted(item.title, words),
            excerpt=snippet(row.body, words),
        )
