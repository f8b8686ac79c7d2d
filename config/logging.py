"""Logging for every process: one line of JSON per record in production, plain text elsewhere.

`logging_config()` builds the LOGGING dict the settings use (LOG_FORMAT=json|text, LOG_LEVEL);
config/gunicorn.conf.py extends it with gunicorn's error and access logs, so the web server, the
Django app and the Celery workers write the same shape of line to the same streams.

Each request gets an id: the proxy's `X-Request-ID` when it sent a well-formed one, a new one
otherwise. It is on every log record written while the request is handled (`request_id`), on the
response's `X-Request-ID`, and in gunicorn's access line, so one grep finds a request's story.
Records written inside a Celery task carry the task's id (`task_id`).

Importable without Django set up (gunicorn's master reads it before any app is loaded).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may hand us as a request id; anything else (too long, odd characters that could
# forge log lines) is replaced by our own.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
LOG_FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Fields of a JSON line, in order; whatever a record carries in `extra=` is added after them.
JSON_FIELDS = ["levelname", "name", "message", "request_id"]
JSON_RENAMED = {"levelname": "level", "name": "logger"}
# django.request passes the request object itself in `extra`: its id is logged, not the object.
JSON_LEFT_OUT = [*RESERVED_ATTRS, "request"]

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class ContextFilter(logging.Filter):
    """Adds `request_id` (the request being handled, or "-") and, inside a Celery task, its
    `task_id` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs a 4xx/5xx after the middleware returned; it passes the request.
            request = getattr(record, "request", None)
            record.request_id = request_id_var.get() or getattr(request, "request_id", None) or "-"
        task_id = _current_task_id()
        if task_id and not hasattr(record, "task_id"):
            record.task_id = task_id
        return True


def _current_task_id() -> str | None:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a dependency
        return None
    request = getattr(current_task, "request", None) if current_task else None
    return getattr(request, "id", None)


class StewardJsonFormatter(JsonFormatter):
    """One JSON object per line: timestamp, level, logger, message, request_id, extras."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", JSON_RENAMED)
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("reserved_attrs", JSON_LEFT_OUT)
        super().__init__(JSON_FIELDS, *args, **kwargs)


class AccessJsonFormatter(StewardJsonFormatter):
    """gunicorn's access log as JSON fields. gunicorn logs each request as
    `access_log_format % atoms`; the atoms (a mapping) become fields. Only these fields: the
    atoms also hold every request header (cookies, Authorization) and the query string, which
    may carry secrets, so they never reach the log."""

    ATOMS = {
        "m": "method",
        "U": "path",
        "s": "status",
        "B": "bytes",
        "M": "duration_ms",
        "h": "remote_addr",
        "{x-forwarded-for}i": "forwarded_for",
        "a": "user_agent",
        "{x-request-id}o": "request_id",
    }

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        atoms = record.args if isinstance(record.args, Mapping) else {}
        for atom, field in self.ATOMS.items():
            value = atoms.get(atom.lower()) if atom.startswith("{") else atoms.get(atom)
            if value in (None, "-"):
                continue
            if isinstance(value, str):
                value = value.replace('\\"', '"')  # gunicorn escaped quotes for its text line
            if field in ("status", "bytes", "duration_ms"):
                value = _as_int(value)
            log_data[field] = value


def _as_int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING dict: every record through one console handler (stderr), in `log_format`."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT={log_format!r}: json or text")
    level = level.upper()
    if level not in logging.getLevelNamesMapping():
        raise ValueError(f"LOG_LEVEL={level!r}: DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logging.ContextFilter"}},
        "formatters": {
            "json": {"()": "config.logging.StewardJsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # django-axes announces itself at every start; its failed sign-ins and lockouts still log.
        "loggers": {"axes.apps": {"level": "WARNING"}},
    }


class RequestIdMiddleware:
    """Gives each request its id (see the module docstring) for the time it is handled."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response
