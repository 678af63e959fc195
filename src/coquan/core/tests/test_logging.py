"""Structured logging: COQUAN_LOG_JSON=1 writes one JSON object per line with the request id."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

from coquan.core.context import request_context
from coquan.core.logging import JsonFormatter, RequestIdFilter

SRC_DIR = Path(__file__).resolve().parents[3]


@pytest.fixture
def json_log():
    """A JSON handler on the root logger, as settings.LOGGING builds it; yields its output."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_formatter_emits_valid_json_with_request_id(json_log):
    token = request_context.set({"request_id": "req-123", "ip": "127.0.0.1"})
    try:
        logging.getLogger("coquan.test").warning("Đã nhận văn bản %s", "05/QĐ-UBND")
    finally:
        request_context.reset(token)
    [record] = [r for r in _lines(json_log) if r["logger"] == "coquan.test"]
    assert record["message"] == "Đã nhận văn bản 05/QĐ-UBND"
    assert record["level"] == "WARNING"
    assert record["request_id"] == "req-123"
    assert record["time"].endswith("+00:00")


def test_json_formatter_includes_the_exception(json_log):
    try:
        raise ValueError("hỏng")
    except ValueError:
        logging.getLogger("coquan.test").exception("failed")
    [record] = [r for r in _lines(json_log) if r["logger"] == "coquan.test"]
    assert "ValueError: hỏng" in record["exception"]
    assert record["request_id"] == ""


@pytest.mark.django_db
def test_log_lines_during_a_request_carry_its_request_id(client, json_log):
    # /healthz logs the database failure; the line must name the request that saw it.
    with mock.patch("coquan.web.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-42")
    assert response["X-Request-ID"] == "trace-42"
    records = [r for r in _lines(json_log) if r["logger"] == "coquan.web.views"]
    assert records, "the health check logged nothing"
    assert {r["request_id"] for r in records} == {"trace-42"}
    assert "OperationalError: down" in records[0]["exception"]


def test_setting_coquan_log_json_switches_the_console_to_json():
    """End to end: a fresh process started with COQUAN_LOG_JSON=1 logs JSON lines."""
    env = {
        **os.environ,
        "COQUAN_LOG_JSON": "1",
        "COQUAN_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "coquan.config.settings",
        "PYTHONPATH": str(SRC_DIR),
    }
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('coquan.probe').warning('xin chào')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    probe = [r for r in records if r["logger"] == "coquan.probe"]
    assert probe and probe[0]["message"] == "xin chào"
    assert probe[0]["request_id"] == ""
