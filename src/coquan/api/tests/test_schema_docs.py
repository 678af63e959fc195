"""OpenAPI at /api/schema/ and Swagger UI at /api/docs/, served offline from the sidecar."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.urls import reverse

SIDECAR = "/static/drf_spectacular_sidecar/swagger-ui-dist/"


@pytest.mark.django_db
def test_schema_is_openapi_yaml(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "CoQuan API"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.django_db
def test_schema_is_also_available_as_json(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["version"] == "1.0.0"
    assert isinstance(schema["paths"], dict)


def _asset_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)


@pytest.mark.django_db
def test_swagger_ui_is_served_from_the_sidecar_without_external_urls(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    urls = _asset_urls(html)
    assert f"{SIDECAR}swagger-ui-bundle.js" in urls
    assert f"{SIDECAR}swagger-ui.css" in urls
    for url in urls:
        assert url.startswith("/"), f"asset not from this server: {url}"
        if url.startswith("/static/"):
            path = url.removeprefix("/static/")
            assert finders.find(path), f"{url} is not a vendored static file"


@pytest.mark.django_db
def test_swagger_ui_works_under_the_strict_csp(client):
    """The initialisation script is a file from this server, not inline code (script-src
    'self' would block it and leave the page blank)."""
    html = client.get(reverse("api-docs")).content.decode()
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attrs and not body.strip(), "inline script on /api/docs/"
    script = re.findall(r"""<script src="([^"]*\?[^"]*script[^"]*)">""", html)
    assert script, "no initialisation script"
    response = client.get(script[0].replace("&amp;", "&"))
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
