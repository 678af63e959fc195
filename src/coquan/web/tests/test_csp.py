"""Strict Content-Security-Policy, and templates that can live under it.

The policy allows scripts and styles only from our own origin, so templates must not carry
inline ``<script>`` code, ``<style>`` blocks, ``style=`` attributes, ``on*=`` handlers or
``javascript:`` URLs, nor load anything from another origin (no CDN, DESIGN.md §2). The scan
covers every app's templates, so it protects the policy for the whole project.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import coquan
from coquan.core.testing.factories import AgencyFactory, make_member

PACKAGE_DIR = Path(coquan.__file__).resolve().parent
TEMPLATES = sorted(PACKAGE_DIR.glob("*/templates/**/*.html"))

_TEMPLATE_SYNTAX = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE_BLOCK = re.compile(r"<style\b", re.I)
_TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
_HANDLER_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)
_JS_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.I)
_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I
)


def csp_violations(source: str) -> list[str]:
    """What in a template would break (or weaken) the strict policy."""
    # Template syntax may hold '>' or quotes; it never produces markup of its own here.
    text = _COMMENT.sub("", _TEMPLATE_SYNTAX.sub(" T ", source))
    problems = []
    for attrs, body in _SCRIPT.findall(text):
        if body.strip():
            problems.append("inline <script> code")
        if _HANDLER_ATTR.search(attrs):
            problems.append("on*= handler on <script>")
    if _STYLE_BLOCK.search(text):
        problems.append("<style> block")
    for tag in _TAG.findall(text):
        if _STYLE_ATTR.search(tag):
            problems.append(f"style= attribute in {tag[:60]!r}")
        if _HANDLER_ATTR.search(tag):
            problems.append(f"on*= event handler in {tag[:60]!r}")
        if _JS_URL.search(tag):
            problems.append(f"javascript: URL in {tag[:60]!r}")
    if _EXTERNAL.search(text):
        problems.append("asset loaded from another origin")
    return problems


def test_templates_are_found():
    names = {path.relative_to(PACKAGE_DIR).as_posix() for path in TEMPLATES}
    assert "web/templates/web/base.html" in names
    assert "accounts/templates/accounts/login.html" in names


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=[p.relative_to(PACKAGE_DIR).as_posix() for p in TEMPLATES]
)
def test_template_has_no_inline_script_style_or_handler(path):
    problems = csp_violations(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(PACKAGE_DIR)}: {problems}"


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script nonce="{{ request.csp_nonce }}">\n  run();\n</script>',
        '<div style="color: red">x</div>',
        "<p STYLE='x'>x</p>",
        '<button onclick="go()">Go</button>',
        '<body onload="start()">',
        '<a href="javascript:void(0)">x</a>',
        "<style>p { color: red }</style>",
        '<script src="https://cdn.example.com/htmx.js"></script>',
        '<link rel="stylesheet" href="//cdn.example.com/bootstrap.css">',
        '<img src="x" {% if a > b %}onerror="x()"{% endif %}>',
    ],
)
def test_scanner_catches_what_the_policy_would_block(snippet):
    assert csp_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'web/app.js' %}\" defer></script>",
        '<form data-confirm="Xóa?" method="post">',
        '<p class="description">Only words like "onion=1" in text, styles: none</p>',
        '<a href="https://vbpl.vn/">external link for people, not an asset</a>',
        '{% if x > 1 %}<span data-on="1">x</span>{% endif %}',
        "<!-- <script>commented()</script> -->",
    ],
)
def test_scanner_allows_safe_markup(snippet):
    assert csp_violations(snippet) == []


def _directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def _assert_strict(response):
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = _directives(header)
    assert directives["default-src"] == ["'self'"]
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives["default-src"])
        assert "'unsafe-inline'" not in sources, f"{name} allows inline code: {header}"
        assert "'unsafe-eval'" not in sources, f"{name} allows eval: {header}"
        assert "*" not in sources and not any(s.startswith("http") for s in sources)
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    _assert_strict(client.get(reverse("accounts:login")))
    _assert_strict(client.get("/khong-co-trang-nay/"))
    client.force_login(make_member(AgencyFactory(), "clerk"))
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    _assert_strict(response)
    _assert_strict(client.get(reverse("web:healthz")))


@pytest.mark.django_db
def test_rendered_layout_obeys_the_policy(client):
    client.force_login(make_member(AgencyFactory(), "clerk", "admin"))
    page = client.get(reverse("web:dashboard")).content.decode()
    assert csp_violations(page) == []
    # htmx must not inject its indicator <style> (blocked by style-src 'self').
    assert '"includeIndicatorStyles": false' in page
