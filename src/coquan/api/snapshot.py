"""Generate the OpenAPI schema as committed in api/tests/openapi-snapshot.yaml.

`make api-snapshot` (python -m coquan.api.snapshot) rewrites the snapshot; a test compares.
"""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "tests" / "openapi-snapshot.yaml"


def generate_schema() -> str:
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiYamlRenderer
    from drf_spectacular.validation import validate_schema

    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        return OpenApiYamlRenderer().render(schema, renderer_context={}).decode("utf-8")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coquan.config.settings")
    import django

    django.setup()
    SNAPSHOT.write_text(generate_schema(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
