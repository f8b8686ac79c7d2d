"""People search: contributors whose login or name contains the query, among those with activity
in the repositories the user may see (someone active only in a private repository stays hidden)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from community.models import Actor
from community.selectors.people import Contribution, contributions_by_actor

PEOPLE_LIMIT = 8
# Actors looked at per search before the visibility check: logins are short, a query like "a"
# matches thousands, and the best matches (exact, then prefix) come first.
CANDIDATES = 200


def people_search(*, user, text: str, limit: int = PEOPLE_LIMIT) -> list[Contribution]:
    """Up to `limit` contributors matching `text`: exact login first, then login prefix, then
    any other match, most active first within each."""
    text = text.strip().lstrip("@")
    if not text or len(text) > 100:
        return []
    closeness = Case(
        When(login__iexact=text, then=Value(0)),
        When(login__istartswith=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    candidates = dict(
        Actor.objects.filter(Q(login__icontains=text) | Q(name__icontains=text))
        .annotate(closeness=closeness)
        .order_by("closeness", "login")
        .values_list("pk", "closeness")[:CANDIDATES]
    )
    if not candidates:
        return []
    found = contributions_by_actor(user=user, actor_ids=list(candidates)).values()
    ranked = sorted(found, key=lambda c: (candidates[c.actor_id], -c.total))[:limit]
    actors = Actor.objects.in_bulk([c.actor_id for c in ranked])
    for contribution in ranked:
        contribution.actor = actors[contribution.actor_id]
    return ranked
