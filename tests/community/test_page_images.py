"""No page shows an image from another site: avatars (and every other <img>) come from Steward,
so pages work offline, under `img-src 'self'`, and tell no one else who reads them.

Every page a maintainer opens first is rendered from demo-like data (the demo's people have
GitHub avatar URLs), the model hub and the triage queue from their own scenarios, with drawn
avatars and with real ones fetched by the server (STEWARD_AVATARS=github), and each <img>'s
src is read from the HTML.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.community.demo_site import build_demo_site
from tests.models_hub.scenarios.hub import build_hub
from tests.models_hub.scenarios.queue import build_queue_scenario

pytestmark = pytest.mark.django_db
AVATAR_MODES = ["drawn", "github"]


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")
        elif tag == "source":  # <picture><source srcset>
            self.sources.append(dict(attrs).get("srcset") or "")


def _image_sources(html: str) -> list[str]:
    parser = _Images()
    parser.feed(html)
    return parser.sources


def _is_local(src: str) -> bool:
    """A path on this site: no scheme, no host (`//host/x` is another site), no data: URL."""
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and src.startswith("/")


def _images_elsewhere(client, pages: dict[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """Per page, the image sources that are not on this site; and every source seen."""
    elsewhere, seen = {}, []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        sources = _image_sources(response.content.decode())
        seen += sources
        if outside := [src for src in sources if not _is_local(src)]:
            elsewhere[name] = outside
    return elsewhere, seen


@pytest.mark.parametrize("mode", AVATAR_MODES)
def test_the_community_and_dashboard_pages_show_only_local_images(admin_client, settings, mode):
    settings.STEWARD_AVATARS = mode
    pages = build_demo_site()

    elsewhere, seen = _images_elsewhere(admin_client, pages)

    assert elsewhere == {}
    assert len(seen) > 50  # avatars on nearly every page
    assert any(
        src.startswith(f"/avatars/{mode}/" if mode == "github" else "/avatars/") for src in seen
    )


@pytest.mark.parametrize("mode", AVATAR_MODES)
def test_the_triage_pages_show_only_local_images(admin_client, settings, mode):
    settings.STEWARD_AVATARS = mode
    scenario = build_queue_scenario()
    owner, name = scenario.repository.full_name.split("/")
    pages = {
        "queue": "/triage/",
        "issue": f"/triage/{owner}/{name}/issues/{scenario.crash.number}/",
        "settings": f"/triage/{owner}/{name}/settings/",
    }

    elsewhere, seen = _images_elsewhere(admin_client, pages)

    assert elsewhere == {} and seen


def test_the_model_hub_pages_show_only_local_images(admin_client):
    hub = build_hub(versions=3)
    pages = {
        "models": "/models/",
        "model": f"/models/{hub.name}/",
        "version": f"/models/{hub.name}/v/{hub.champion.version}/",
        "compare": f"/models/{hub.name}/compare/?a=1&b=2",
        "benchmarks": "/models/benchmarks/",
        "leaderboard": f"/models/benchmarks/{hub.benchmark.name}/",
    }

    elsewhere, _ = _images_elsewhere(admin_client, pages)

    assert elsewhere == {}


@pytest.mark.parametrize(
    ("src", "local"),
    [
        ("/avatars/ada.svg", True),
        ("/static/img/favicon.svg", True),
        ("https://avatars.githubusercontent.com/u/1?v=4", False),
        ("//avatars.githubusercontent.com/u/1", False),
        ("data:image/png;base64,AAAA", False),
        ("", False),
    ],
)
def test_the_rule_reads_a_src_as_a_browser_would(src, local):
    assert _is_local(src) is local
