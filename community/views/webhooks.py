"""The GitHub webhook receiver (the one CSRF-exempt view) and the maintainers' deliveries page."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import admin_required
from community.github.payloads import PayloadError
from community.github.signature import signature_is_valid
from community.models import DeliveryStatus
from community.services.webhooks import IncomingDelivery, delivery_receive
from community.services.webhooks.receiving import github_id, payload_read, stored_text
from community.services.webhooks.selectors import deliveries_recent, delivery_status_counts

logger = logging.getLogger(__name__)

# Headers kept with a delivery, as GitHub sent them (the secret never travels in a header).
KEPT_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_USER_AGENT")
KEPT_PREFIXES = ("HTTP_X_GITHUB_", "HTTP_X_HUB_")
# A delivery id (a GUID) and an event name (`pull_request`): printable ASCII, at most 64.
HEADER_VALUE = re.compile(r"[\x21-\x7e]{1,64}")


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def read_body(stream, *, limit: int) -> bytes | None:
    """Read at most `limit` bytes; None when there is more (whatever Content-Length said)."""
    body = stream.read(limit + 1)
    return None if len(body) > limit else body


def _headers(request: HttpRequest) -> dict[str, str]:
    kept = {}
    for key, value in request.META.items():
        if key in KEPT_HEADERS or key.startswith(KEPT_PREFIXES):
            name = key.removeprefix("HTTP_").replace("_", "-").title()
            kept[name] = stored_text(value, 1000)
    return kept


def _verified_body(request: HttpRequest) -> bytes | JsonResponse:
    """The raw body, read within the size limit and signed with a configured secret."""
    limit = settings.GITHUB_WEBHOOK_MAX_BODY_BYTES
    if _declared_length(request) > limit:
        return _error(413, "payload too large")
    if request.content_type != "application/json":
        return _error(415, "expected Content-Type: application/json")
    # Not request.body: DATA_UPLOAD_MAX_MEMORY_SIZE would answer 400 to a large delivery.
    body = read_body(request, limit=limit)
    if body is None:
        return _error(413, "payload too large")
    signature = request.META.get("HTTP_X_HUB_SIGNATURE_256")
    if signature_is_valid(body=body, header=signature, secrets=settings.GITHUB_WEBHOOK_SECRETS):
        return body
    logger.warning(
        "webhook rejected: %s signature (delivery=%r event=%r from %s)",
        "bad" if signature else "missing",
        request.META.get("HTTP_X_GITHUB_DELIVERY", "")[:64],
        request.META.get("HTTP_X_GITHUB_EVENT", "")[:64],
        request.META.get("REMOTE_ADDR"),
    )
    return _error(401, "invalid signature")


@csrf_exempt
@require_POST
def github_webhook(request: HttpRequest) -> HttpResponse:
    body = _verified_body(request)
    if isinstance(body, HttpResponse):
        return body
    delivery_id = request.META.get("HTTP_X_GITHUB_DELIVERY", "")
    event = request.META.get("HTTP_X_GITHUB_EVENT", "")
    if not (HEADER_VALUE.fullmatch(delivery_id) and HEADER_VALUE.fullmatch(event)):
        return _error(400, "missing X-GitHub-Delivery or X-GitHub-Event")
    try:
        payload, error = payload_read(body), ""
    except PayloadError as exc:
        # Signed but unreadable (not JSON, not an object, nested deeper than the parser follows):
        # stored all the same, already failed with the reason, and answered 400.
        payload, error = {}, str(exc)
    if event == "ping" and not error:
        return JsonResponse({"ok": "pong", "zen": payload.get("zen", "")})
    incoming = IncomingDelivery(
        delivery_id=delivery_id,
        event=event,
        hook_id=github_id(request.META.get("HTTP_X_GITHUB_HOOK_ID")),
        headers=_headers(request),
        body=body,
        payload=payload,
        error=error,
    )
    _, created = delivery_receive(incoming=incoming)
    if error and created:
        return JsonResponse(
            {"error": error, "delivery": delivery_id, "status": "failed"}, status=400
        )
    status = "queued" if created else "duplicate"
    return JsonResponse({"delivery": delivery_id, "status": status}, status=202 if created else 200)


@require_GET
@admin_required
def deliveries_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    context = {
        "deliveries": deliveries_recent(status=status or None),
        "counts": delivery_status_counts(),
        "statuses": DeliveryStatus.values,
        "current_status": status,
    }
    return render(request, "community/ops/webhooks.html", context)
