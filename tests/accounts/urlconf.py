"""Every URL the site serves, read from the URL conf, with sample arguments from the world."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from analytics.charts import CHARTS
from tests.accounts.world import DIGEST_START, World


@dataclass(frozen=True)
class Endpoint:
    key: str  # "namespace:name", or "path:<route>" for an unnamed pattern
    route: str
    kwargs: tuple[str, ...]
    reverse_name: str | None


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}{pattern.name}" if pattern.name else None
                key = name or f"{namespace}path:{route}"
                found.append(Endpoint(key, route, _kwarg_names(route), name))

    walk(get_resolver().url_patterns, "", "")
    return found


def _kwarg_names(route: str) -> tuple[str, ...]:
    """`<int:number>` path converters and `(?P<key>…)` regex groups, in order."""
    return tuple(a or b for a, b in _KWARG.findall(route))


_KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


BENCHMARK_URLS = (
    "models_hub:leaderboard",
    "models_hub:result_submit",
    "models-api:benchmark",
    "models-api:benchmark_results",
    "models-api:leaderboard",
)
PULL_URLS = ("community:pull_request_detail", "community-api:pull_request_detail")


def needs_side(endpoint: Endpoint) -> bool:
    """Whether the URL names something that lives in one repository (so it is tried for the
    public and the private one)."""
    if endpoint.key in QUERY:
        return True
    if endpoint.key in BENCHMARK_URLS or endpoint.key.startswith("admin:"):
        return False
    return bool({"owner", "login", "number"} & set(endpoint.kwargs)) or (
        "name" in endpoint.kwargs or endpoint.key in ("triage:decide", "triage:mark_reviewed")
    )


# Query strings that name a repository (the URL itself does not).
QUERY = {
    "analytics:chart_export": "repository={full_name}",
    "analytics-api:metric_series": "repository={full_name}",
}


def sample_kwargs(endpoint: Endpoint, world: World, side_name: str | None) -> dict:
    side = getattr(world, side_name) if side_name else world.public
    values: dict[str, object] = {}
    for kwarg in endpoint.kwargs:
        values[kwarg] = _value(endpoint, kwarg, world, side)
    return values


def _value(endpoint: Endpoint, kwarg: str, world: World, side) -> object:
    key = endpoint.key
    if key.startswith("admin:"):
        return _admin_value(kwarg)
    owner, name = side.owner_name
    match kwarg:
        case "owner":
            return owner
        case "name" if "owner" in endpoint.kwargs:
            return name
        case "name" if key == "analytics-api:metric_series":
            return CHARTS[0].metric
        case "name" if key in BENCHMARK_URLS:
            return world.hub.benchmark.name
        case "name":
            return side.model.name
        case "number" if key in PULL_URLS:
            return side.pull.number
        case "number" if key.startswith(("models_hub:", "models-api:")):
            return side.model.versions.order_by("version").first().version
        case "number":
            return side.issue.number
        case "login":
            return side.author.login
        case "pk" if key == "triage:decide":
            return side.suggestion.pk
        case "pk" if key == "triage:mark_reviewed":
            return side.result.pk
        case "pk":
            return world.token_pk
        case "period":
            return "month"
        case "start":
            return DIGEST_START.isoformat()
        case "fmt":
            return "csv"
        case "slug":
            return CHARTS[0].slug
        case "path":
            return "model.safetensors"
        case "actor_id":
            return side.author.pk
        case _:
            return "x"  # allauth's keys, avatar keys: a wrong one


def _admin_value(kwarg: str) -> object:
    if kwarg == "app_label":
        return "accounts"
    if kwarg in ("object_id", "content_type_id"):
        return "1"
    return "x"


def admin_models() -> list[str]:
    return [f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry]
