"""The site's main navigation. Links to other apps appear only once their URLs exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


@dataclass(frozen=True)
class NavLink:
    label: str
    url_names: tuple[str, ...]
    # Where the page lives if none of `url_names` is defined (another app may name it otherwise).
    path: str = ""
    # Other URL prefixes that belong to this section, for aria-current.
    sections: tuple[str, ...] = ()
    # Maintainer pages: shown to staff only.
    staff_only: bool = False


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


NAV_LINKS = (
    NavLink("Repositories", ("community:home",), sections=("/repos/",)),
    NavLink("Contributors", ("community:contributor_list",)),
    NavLink("Dashboards", ("analytics:dashboards", "analytics:index"), path="/dashboards/"),
    NavLink("Models", ("models_hub:model_list", "models_hub:index"), path="/models/"),
    NavLink("Triage", ("triage:index",), path="/triage/", staff_only=True),
    NavLink("Deliveries", ("ops-webhooks",), staff_only=True),
)


def nav_link_url(link: NavLink) -> str | None:
    """The link's URL, or None while no app serves it."""
    for name in link.url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    if link.path:
        try:
            resolve(link.path)
        except Resolver404:
            return None
        return link.path
    return None


def _is_current(url: str, link: NavLink, path: str) -> bool:
    if path == url:
        return True
    prefixes = (*link.sections, *((url,) if url != "/" else ()))
    return any(path.startswith(prefix) for prefix in prefixes)


def nav_items(*, path: str, is_staff: bool = False) -> list[NavItem]:
    items = []
    for link in NAV_LINKS:
        if link.staff_only and not is_staff:
            continue
        url = nav_link_url(link)
        if url is not None:
            items.append(NavItem(link.label, url, _is_current(url, link, path)))
    return items
