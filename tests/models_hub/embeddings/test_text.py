"""The text Steward encodes: title + body with template comments, logs and traces trimmed."""

from __future__ import annotations

from models_hub.embeddings.text import CODE_BLOCK_LINES, MAX_CHARS, issue_text, text_hash


def test_title_then_body_with_template_comments_dropped():
    body = "<!-- Please describe the bug -->\r\nThe button does nothing.\r\n<!-- end -->"
    assert issue_text(title=" Save fails ", body=body) == "Save fails\n\nThe button does nothing."


def test_empty_body_is_just_the_title():
    assert issue_text(title="Crash on start", body=None) == "Crash on start"


def test_long_code_block_keeps_its_first_lines():
    log = "\n".join(f"line {n}" for n in range(40))
    text = issue_text(title="Build log", body=f"It fails:\n```text\n{log}\n```\nAny idea?")

    assert "line 0" in text and f"line {CODE_BLOCK_LINES - 1}" in text
    assert f"line {CODE_BLOCK_LINES}" not in text
    assert f"[… {40 - CODE_BLOCK_LINES} more lines]" in text
    assert text.endswith("Any idea?")


def test_unclosed_fence_is_trimmed_too():
    body = "Output:\n```\n" + "\n".join(f"row {n}" for n in range(20))
    assert "row 19" not in issue_text(title="t", body=body)


def test_stack_traces_outside_code_blocks_are_trimmed():
    frames = "\n".join(f"    at Module.fn{n} (/app/src/file{n}.js:{n}:1)" for n in range(12))
    python = "\n".join(f'  File "/srv/app/mod{n}.py", line {n}, in f' for n in range(5))
    text = issue_text(title="TypeError", body=f"TypeError: x\n{frames}\nThen\n{python}\nEnd")

    assert "fn0" in text and "fn2" in text and "fn3" not in text
    assert "[… 9 more lines]" in text and "[… 2 more lines]" in text
    assert "mod4.py" not in text and text.endswith("End")


def test_images_and_urls_are_reduced():
    body = "See ![screenshot](https://user-images.example.com/a/b.png) and https://github.com/o/r/issues/1"
    text = issue_text(title="t", body=body)
    assert text == "t\n\nSee [image] and github.com"


def test_text_is_cut_at_a_word_boundary():
    text = issue_text(title="t", body="word " * 5000)
    assert len(text) <= MAX_CHARS and text.endswith("word")


def test_hash_follows_the_prepared_text():
    same = issue_text(title="A", body="b <!-- hint -->")
    assert text_hash(same) == text_hash(issue_text(title="A", body="b"))
    assert text_hash(same) != text_hash(issue_text(title="A", body="c"))
    assert len(text_hash(same)) == 64
