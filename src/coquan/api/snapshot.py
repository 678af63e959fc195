"""Generate the OpenAPI schema as committed in api/tests/openapi-snapshot.yaml.

`make api-snapshot` (python -m coquan.api.snapshot) rewrites the snapshot; a test compares.
"""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "tests" / "openapi-snapshot.yaml"

# Django derives integer bounds from the database backend (SQLite reports 64-bit for every
# integer field, PostgreSQL the real smallint/int/bigint ranges), so the snapshot leaves the
# backend's range bounds and integer formats out: it must be the same on both databases.
_BACKEND_BOUNDS = {
    -32768,
    32767,
    -2147483648,
    2147483647,
    -9223372036854775808,
    9223372036854775807,
}


def _without_backend_bounds(node):
    if isinstance(node, dict):
        for key in ("maximum", "minimum"):
            if node.get(key) in _BACKEND_BOUNDS:
                del node[key]
        if node.get("format") in ("int32", "int64"):
            del node["format"]
        for value in node.values():
            _without_backend_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _without_backend_bounds(value)
    return node


def generate_schema() -> str:
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiYamlRenderer
    from drf_spectacular.validation import validate_schema

    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        _without_backend_bounds(schema)
        return OpenApiYamlRenderer().render(schema, renderer_context={}).decode("utf-8")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coquan.config.settings")
    import django

    django.setup()
    SNAPSHOT.write_text(generate_schema(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
