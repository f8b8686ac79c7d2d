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
    # Who sees the link: everyone, signed-in users, maintainers (of any repository) or staff.
    audience: str = "everyone"


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
    # The signed-in user's pages: their pull requests, good first issues, tokens, account.
    NavLink(
        "Your work", ("accounts:pull_requests",), sections=("/accounts/me/",), audience="signed_in"
    ),
    NavLink("Triage", ("triage:index",), path="/triage/", audience="maintainer"),
    NavLink("Deliveries", ("ops-webhooks",), audience="staff"),
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


def nav_items(
    *, path: str, is_staff: bool = False, signed_in: bool = False, maintainer: bool = False
) -> list[NavItem]:
    """The links the visitor may follow: `maintainer` (of any repository) and `is_staff` come
    from accounts.permissions; staff are both."""
    audiences = {
        "everyone",
        *(("signed_in",) if signed_in or is_staff else ()),
        *(("maintainer",) if maintainer or is_staff else ()),
        *(("staff",) if is_staff else ()),
    }
    items = []
    for link in NAV_LINKS:
        if link.audience not in audiences:
            continue
        url = nav_link_url(link)
        if url is not None:
            items.append(NavItem(link.label, url, _is_current(url, link, path)))
    return items
