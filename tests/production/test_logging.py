"""Structured logs: one JSON object per line in production, each with the request's id."""

from __future__ import annotations

import io
import json
import logging

import pytest

from config.logging import (
    REQUEST_ID_HEADER,
    ContextFilter,
    StewardJsonFormatter,
    logging_config,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """Production's console handler (JSON formatter, context filter) into a buffer, on the
    loggers these tests write to."""
    config = logging_config(log_format="json", level="INFO")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["formatters"]["json"]["()"] == "config.logging.StewardJsonFormatter"
    assert config["filters"]["context"]["()"] == "config.logging.ContextFilter"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(StewardJsonFormatter())
    handler.addFilter(ContextFilter())
    loggers = [logging.getLogger("tests.production"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_json_line_names_level_logger_message_and_extras(json_log):
    logging.getLogger("tests.production").warning(
        "sync paused for %s", "acme/widgets", extra={"repository": "acme/widgets"}
    )

    (line,) = json_log()
    assert line["level"] == "WARNING"
    assert line["logger"] == "tests.production"
    assert line["message"] == "sync paused for acme/widgets"
    assert line["repository"] == "acme/widgets"
    assert line["request_id"] == "-"  # outside a request
    assert line["timestamp"].endswith("+00:00")


def test_every_response_carries_a_request_id_and_so_do_its_log_lines(client, json_log):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    request_id = response[REQUEST_ID_HEADER]
    assert len(request_id) == 32
    # Django logs the 404 after the middleware answered: the record still carries the id.
    (line,) = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["request_id"] == request_id
    assert line["message"] == "Not Found: /no-such-page/"
    assert "request" not in line  # the request object itself is not serialised


def test_the_proxys_request_id_is_kept_when_well_formed(client):
    response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")

    assert response[REQUEST_ID_HEADER] == "lb-7f3a9c2e-0001"


@pytest.mark.parametrize(
    "offered", ["short", "x" * 200, "forged\nlevel=ERROR", "spaces are not ids", "<script>"]
)
def test_a_malformed_request_id_is_replaced(client, offered):
    response = client.get("/", HTTP_X_REQUEST_ID=offered)

    assert response[REQUEST_ID_HEADER] != offered
    assert len(response[REQUEST_ID_HEADER]) == 32


@pytest.mark.parametrize(("log_format", "level"), [("xml", "INFO"), ("json", "LOUD"), ("text", "")])
def test_a_wrong_log_setting_is_refused_at_start(log_format, level):
    with pytest.raises(ValueError, match="LOG_"):
        logging_config(log_format=log_format, level=level)


def test_text_lines_carry_the_request_id_too():
    config = logging_config(log_format="text", level="debug")

    assert "%(request_id)s" in config["formatters"]["text"]["format"]
    assert config["root"]["level"] == "DEBUG"
