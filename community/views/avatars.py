"""Avatar images, served from Steward's own URLs (see community/avatars)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe

from community.avatars.drawn import avatar_svg
from community.avatars.github import avatar_key, github_avatar_get
from community.models import Actor

# A drawn avatar changes only with the drawing itself: browsers keep it for a month.
DRAWN_MAX_AGE = 30 * 24 * 3600
# A fetched one may change on GitHub under the same URL: a day, then the ETag revalidates.
FETCHED_MAX_AGE = 24 * 3600
# The drawn stand-in for a fetch that failed: soon replaced once the fetch works again.
STAND_IN_MAX_AGE = 5 * 60
_SVG = "image/svg+xml"


def _image_response(
    request: HttpRequest, content: bytes, content_type: str, *, max_age: int
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    # An SVG opened on its own is a document: it may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'"
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_safe
def drawn_avatar(request: HttpRequest, login: str) -> HttpResponse:
    svg = avatar_svg(login).encode()
    return _image_response(request, svg, _SVG, max_age=DRAWN_MAX_AGE)


@require_safe
def github_avatar(request: HttpRequest, actor_id: int, key: str) -> HttpResponse:
    actor = Actor.objects.filter(pk=actor_id).only("login", "avatar_url").first()
    if actor is None or not constant_time_compare(
        key, avatar_key(actor_id=actor.pk, avatar_url=actor.avatar_url)
    ):
        raise Http404("No such avatar")
    image = None
    if settings.STEWARD_AVATARS == "github":
        image = github_avatar_get(url=actor.avatar_url)
    if image is None:
        svg = avatar_svg(actor.login).encode()
        return _image_response(request, svg, _SVG, max_age=STAND_IN_MAX_AGE)
    return _image_response(request, image.content, image.content_type, max_age=FETCHED_MAX_AGE)
