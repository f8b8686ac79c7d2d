"""Swagger UI's stylesheet draws a few icons from `data:` URLs, which the site's policy blocks
(img-src names no data: source). static/css/api-docs.css repeats each such declaration with the
same value pointing at the same SVG served from static/img/api-docs/; this reads them out of the
vendored stylesheet, for the test that keeps the two in step and to regenerate the files:

    python -m tests.community.api.swagger_css
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
OVERRIDES = REPO_ROOT / "static" / "css" / "api-docs.css"
ICONS = REPO_ROOT / "static" / "img" / "api-docs"
_DATA_URL = re.compile(r'url\((?:"((?:[^"\\]|\\.)*)"|([^)"]*))\)')


@dataclass(frozen=True)
class DataImage:
    media: str  # the enclosing @media prelude, "" at top level
    selector: str
    property: str
    value: str  # the declaration's value, data: URLs replaced by the icon files

    @property
    def rule(self) -> str:
        body = f"{self.selector} {{ {self.property}: {self.value}; }}"
        return f"@media {self.media} {{ {body} }}" if self.media else body


def _image(data_url: str) -> tuple[str, bytes]:
    """(file extension, bytes) of a data: URL (URL-encoded SVG text, or base64)."""
    header, _, payload = data_url.partition(",")
    extension = {"svg+xml": "svg", "png": "png", "jpeg": "jpg"}[header.split("/")[1].split(";")[0]]
    if ";base64" in header:
        return extension, base64.b64decode(payload)
    text = payload.replace('\\"', '"').replace("\\'", "'")
    return extension, urllib.parse.unquote(text).encode()


def icon_name(extension: str, content: bytes) -> str:
    return f"{hashlib.sha256(content).hexdigest()[:12]}.{extension}"


def _declarations(block: str) -> list[str]:
    """A rule's declarations, split on the semicolons outside strings and parentheses."""
    parts, current, quote, depth = [], [], "", 0
    for character in block:
        if quote:
            quote = "" if character == quote and (not current or current[-1] != "\\") else quote
        elif character in "\"'":
            quote = character
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == ";" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    return [*parts, "".join(current)]


def data_images(css: str) -> tuple[list[DataImage], dict[str, bytes]]:
    """Every declaration using a data: image, and the images by file name."""
    found, icons = [], {}
    media: list[str] = []
    position = 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "}":
            if media and css[position : match.start()].strip() == "":
                media.pop()
            position = match.end()
            continue
        prelude = css[position : match.start()].strip()
        position = match.end()
        if prelude.startswith("@media"):
            media.append(prelude[len("@media") :].strip())
            continue
        end = css.index("}", position)
        for declaration in _declarations(css[position:end]):
            name, _, value = declaration.partition(":")
            if "data:" not in value:
                continue

            def local(url_match: re.Match) -> str:
                url = url_match.group(1) or url_match.group(2)
                if not url.startswith("data:"):
                    return url_match.group()
                extension, content = _image(url)
                icons[icon_name(extension, content)] = content
                return f'url("../img/api-docs/{icon_name(extension, content)}")'

            found.append(
                DataImage(
                    media[-1] if media else "", prelude, name.strip(), _DATA_URL.sub(local, value)
                )
            )
    return found, icons


def swagger_css() -> str:
    import drf_spectacular_sidecar

    dist = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"
    return (dist / "swagger-ui-dist" / "swagger-ui.css").read_text()


if __name__ == "__main__":
    images, svgs = data_images(swagger_css())
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, content in svgs.items():
        (ICONS / name).write_bytes(content)
    print("\n".join(image.rule for image in images))
