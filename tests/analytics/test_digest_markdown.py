"""The markdown export keeps what GitHub supplied as text: no raw HTML, no links it did not make.

The file is pasted into forums and newsletters whose renderers allow raw HTML, so it is checked
the way they read it: CommonMark with HTML on.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from analytics.digests import digest_generate, digest_markdown
from tests.analytics.conftest import at
from tests.factories import ActorFactory, IssueFactory, PullRequestFactory, ReleaseFactory

pytestmark = pytest.mark.django_db
MAY = dt.date(2024, 5, 1)

HOSTILE_TAG = "v1)<img src=x onerror=alert(document.domain)>"
CODE_TAG = "v2`<b onmouseover=alert(2)>x</b>`"
RELEASE_NAME = "<script>alert(3)</script> [click](javascript:alert(4))"
PR_TITLE = "Fix [click](javascript:alert(5)) <img src=x onerror=alert(6)> ![x](javascript:y)"
ISSUE_TITLE = "<iframe src=javascript:alert(7)></iframe> &lt;b&gt; | ~~struck~~ *em* `code`"
LOGIN = "mallory_<b>*"
GITHUB_STRINGS = [HOSTILE_TAG, CODE_TAG, RELEASE_NAME, PR_TITLE, ISSUE_TITLE, LOGIN]
# What the export itself makes: headings, lists, the numbers table, links, tags as code.
OWN_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "a", "em", "code", "table", "thead", "tbody"}
OWN_TAGS |= {"tr", "th", "td"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _as_a_forum_renders_it(markdown: str) -> _Page:
    page = _Page()
    page.feed(MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(markdown))
    return page


@pytest.fixture
def markdown(community) -> str:
    mallory = ActorFactory(login=LOGIN)
    public = community.public
    ReleaseFactory(repository=public, tag_name=HOSTILE_TAG, name="", created_at=at("2024-05-20"))
    ReleaseFactory(
        repository=public, tag_name=CODE_TAG, name=RELEASE_NAME, created_at=at("2024-05-21")
    )
    PullRequestFactory(
        repository=public, author=mallory, number=9, title=PR_TITLE,
        created_at=at("2024-05-10 08:00"), state="closed", merged=True,
        merged_at=at("2024-05-12 08:00"), closed_at=at("2024-05-12 08:00"),
        updated_at=at("2024-05-12 08:00"),
    )  # fmt: skip
    IssueFactory(
        repository=public, author=mallory, number=10, title=ISSUE_TITLE,
        created_at=at("2024-05-25 10:00"), updated_at=at("2024-05-25 10:00"),
    )  # fmt: skip
    digest = digest_generate(repository=public, period="month", start=MAY, now=community.now)
    return digest_markdown(digest)


def test_every_less_than_sign_in_the_file_is_escaped(markdown):
    assert re.findall(r"(?<!\\)<", markdown) == []


def test_github_strings_come_out_as_text_and_make_no_html(markdown):
    page = _as_a_forum_renders_it(markdown)

    assert {tag for tag, _ in page.tags} <= OWN_TAGS
    assert not [attrs for _, attrs in page.tags if any(name.startswith("on") for name in attrs)]
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links and all(link.startswith("https://github.com/acme/widgets/") for link in links)
    text = "".join(page.text)
    for supplied in GITHUB_STRINGS:
        assert supplied in text


def test_a_release_tag_cannot_end_its_link(markdown):
    destination = (
        "(https://github.com/acme/widgets/releases/tag/"
        "v1%29%3Cimg%20src=x%20onerror=alert%28document.domain%29%3E)"
    )
    assert f"[v1)\\<img src=x onerror=alert(document.domain)\\>]{destination}" in markdown


def test_plain_release_tags_stay_code(community):
    ReleaseFactory(repository=community.public, tag_name="v3.1.0", created_at=at("2024-05-22"))
    digest = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )

    assert "`v3.1.0`" in digest_markdown(digest)


# GitHub's mention rule: an @ not preceded by a word character, then a login's first character.
MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9]")


def test_pasted_into_github_it_mentions_nobody(community):
    """Pasted into a Discussion, every @login would notify that person: the export writes
    logins without the @, and an @ in a title no longer reads as a mention."""
    ada = ActorFactory(login="ada")
    PullRequestFactory(
        repository=community.public, author=ada, number=11,
        title="Fix the crash @grace found (thanks @acme/core; mail ada@example.org)",
        created_at=at("2024-05-10 08:00"), state="closed", merged=True,
        merged_at=at("2024-05-12 08:00"), closed_at=at("2024-05-12 08:00"),
        updated_at=at("2024-05-12 08:00"),
    )  # fmt: skip
    IssueFactory(
        repository=community.public, author=ActorFactory(login="newcomer"), number=12,
        title="Question for @ada", created_at=at("2024-05-25 10:00"),
        updated_at=at("2024-05-25 10:00"),
    )  # fmt: skip
    digest = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )

    markdown = digest_markdown(digest)
    text = "".join(_as_a_forum_renders_it(markdown).text)

    assert MENTION.findall(markdown) == [] and MENTION.findall(text) == []
    assert "— by ada" in markdown  # the author, named without the @
    assert "- newcomer opened" in markdown
    assert "ada@example.org" in text  # an email address is left as it is
    # Still reads as written: the @ is kept, with an invisible word joiner after it.
    assert "@\u2060grace found" in text and "@\u2060acme/core" in text
