"""What every site answers besides its pages: the favicon and the server-error page."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Served when even the site layout cannot be rendered (a broken template, a missing setting).
BARE_SERVER_ERROR = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error · Steward</title>"
    "<h1>Server error</h1><p>Something went wrong on our side. Please try again later.</p></html>"
)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site layout, rendered without the request (like Django's own: no
    database, no session, nothing that may be what just failed), else a bare page."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # the error page must not fail in turn
        logger.exception("the 500 page could not be rendered")
        body = BARE_SERVER_ERROR
    return HttpResponseServerError(body)
