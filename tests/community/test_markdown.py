"""Bodies are rendered as markdown and sanitised: what strangers write cannot run in our pages."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from community.markdown import render_markdown
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HOSTILE = """Hello **world**

<script>alert("owned")</script>

[click me](javascript:alert(1)) <a href="javascript:alert(2)" onclick="steal()">raw link</a>
<img src="https://example.com/x.png" onerror="steal()">
<iframe src="https://evil.example"></iframe>
<p style="position:fixed" class="site-header">styled</p>
"""


def test_commonmark_tables_strikethrough_and_code():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n```python\nx = 1\n```\n")
    assert "<table>" in html and "<th>a</th>" in html and "<s>2</s>" in html
    assert '<code class="language-python">x = 1' in html


def test_links_get_nofollow_noopener():
    html = render_markdown("[docs](https://example.com/docs)")
    assert html.strip() == (
        '<p><a href="https://example.com/docs" rel="nofollow noopener">docs</a></p>'
    )


def test_hostile_markup_is_removed():
    html = render_markdown(HOSTILE)
    assert "<strong>world</strong>" in html
    assert "<script" not in html and 'alert("owned")' not in html
    # markdown-it refuses the javascript: link (left as plain text); nh3 drops the raw one.
    assert "href" not in html and "<p>[click me](javascript:alert(1))" in html
    assert "onclick" not in html and "onerror" not in html
    assert "<iframe" not in html and "style=" not in html and "site-header" not in html
    assert '<img src="https://example.com/x.png">' in html
    assert "raw link" in html


def test_markdown_filter_marks_output_safe():
    rendered = Template("{% load steward %}{{ body|markdown }}").render(
        Context({"body": "<b>bold</b> & <script>x()</script>"})
    )
    assert rendered.strip() == "<p><b>bold</b> &amp; </p>"


def test_empty_body():
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_issue_page_renders_sanitised_bodies(client, site_community):
    issue = site_community.bug_issue
    issue.body = HOSTILE
    issue.save(update_fields=["body"])
    CommentFactory(
        issue=issue, body='<script>document.cookie</script>\n\n_nice_ <a href="javascript:x">'
    )

    html = client.get("/repos/acme/rocket/issues/1/").text
    main = html.split('<main id="main"', 1)[1]
    assert "<strong>world</strong>" in main and "<em>nice</em>" in main
    assert "<script" not in main and "document.cookie" not in main
    assert 'href="javascript:' not in main and "onclick" not in main
