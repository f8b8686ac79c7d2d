"""The site's main navigation: every section Steward serves, by URL name (a renamed or removed
page fails loudly here instead of vanishing from the header)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
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
    NavLink("Repositories", "community:home", sections=("/repos/",)),
    NavLink("Contributors", "community:contributor_list"),
    NavLink("Dashboards", "analytics:dashboards"),
    NavLink("Models", "models_hub:model_list"),
    # The signed-in user's pages: their pull requests, good first issues, tokens, account.
    NavLink(
        "Your work", "accounts:pull_requests", sections=("/accounts/me/",), audience="signed_in"
    ),
    NavLink("Triage", "triage:index", audience="maintainer"),
    NavLink("Deliveries", "ops-webhooks", audience="staff"),
)


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
        url = reverse(link.url_name)
        items.append(NavItem(link.label, url, _is_current(url, link, path)))
    return items
