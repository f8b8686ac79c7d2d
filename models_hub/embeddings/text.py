"""What Steward encodes for an issue or pull request, and its hash. Pure Python: no torch here.

Text preparation rules (`issue_text`), applied in this order:

1. The text is the title, a blank line, then the body.
2. HTML comments are dropped: issue templates are full of `<!-- please describe … -->` hints that
   every issue of a repository shares and that would make unrelated issues look alike.
3. Fenced code blocks (```` ``` ```` or `~~~`) keep their first `CODE_BLOCK_LINES` lines and a
   `[… N more lines]` marker: the first lines of a log or snippet say what it is; the rest is noise.
4. Outside code blocks, runs of stack-trace frames (`at foo (file.js:1:2)`, `File "x.py", line 3`,
   `#3 0x7f…`) and timestamped log lines keep their first `TRACE_LINES` lines and a marker.
5. Markdown images and bare URLs become `[image]` / their host: they carry no meaning to the model.
6. Whitespace runs collapse; the result is cut at `MAX_CHARS` characters (at a word boundary).

Token truncation happens afterwards, in the encoder: the tokenizer truncates to the model's
`max_seq_length` (256 word pieces for all-MiniLM-L6-v2). `MAX_CHARS` is well above what 256 word
pieces can cover, so cutting characters first only saves tokenizer work on huge bodies.
"""

from __future__ import annotations

import hashlib
import re

CODE_BLOCK_LINES = 6
TRACE_LINES = 3
MAX_CHARS = 4000

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_URL = re.compile(r"https?://([^/\s)>\]]+)[^\s)>\]]*")
_TRACE_FRAME = re.compile(
    r"""^\s*(
        at\s+\S.*                                  # JavaScript / Java frames
      | File\s+"[^"]+",\s+line\s+\d+.*               # Python frames
      | \#\d+\s+0x[0-9a-f]+.*                         # gdb / C++ frames
      | \d+\s*[:|]?\s*0x[0-9a-f]{6,}.*                # native crash dumps
      | \S+\.(?:java|kt|scala|cs|go|rs|cpp|cc|c|h):\d+.*  # file:line frames
      | [\[(]?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}.*    # timestamped log lines
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _trim_code_blocks(lines: list[str]) -> list[str]:
    out: list[str] = []
    block: list[str] | None = None
    for line in lines:
        if _FENCE.match(line):
            if block is None:
                block = []
                continue
            out.extend(_kept(block, CODE_BLOCK_LINES))
            block = None
            continue
        if block is None:
            out.append(line)
        else:
            block.append(line)
    if block is not None:  # an unclosed fence runs to the end of the body
        out.extend(_kept(block, CODE_BLOCK_LINES))
    return out


def _trim_traces(lines: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line.strip() and _TRACE_FRAME.match(line):
            run.append(line)
            continue
        out.extend(_kept(run, TRACE_LINES))
        run = []
        out.append(line)
    return out[:-1]


def _kept(lines: list[str], keep: int) -> list[str]:
    lines = [line for line in lines if line.strip()]
    if len(lines) <= keep:
        return lines
    return [*lines[:keep], f"[… {len(lines) - keep} more lines]"]


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut


def issue_text(*, title: str, body: str | None) -> str:
    """The text Steward encodes for an issue or pull request (rules in the module docstring)."""
    body = _HTML_COMMENT.sub("", (body or "").replace("\r\n", "\n"))
    body = _IMAGE.sub("[image]", body)
    lines = _trim_traces(_trim_code_blocks(body.split("\n")))
    body = _URL.sub(r"\1", "\n".join(lines))
    body = _SPACES.sub(" ", body)
    body = _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in body.split("\n")))
    text = f"{title.strip()}\n\n{body.strip()}".strip()
    return _cut(text, MAX_CHARS)


def text_hash(text: str) -> str:
    """sha256 of the prepared text: an embedding is recomputed only when this changes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
