"""The OpenAPI schema is a contract with integrators: changing it must be deliberate.

Regenerate the snapshot with `make api-snapshot` and review the diff in the commit.
"""

from __future__ import annotations

import difflib

from coquan.api.snapshot import SNAPSHOT, generate_schema


def test_openapi_schema_matches_committed_snapshot():
    current = generate_schema()
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if current != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                "openapi-snapshot.yaml (committed)",
                "generated",
                n=2,
            )
        )
        raise AssertionError(
            "The API schema changed; run `make api-snapshot` if this is deliberate.\n" + diff[:6000]
        )


def test_schema_lists_the_foundation_endpoints():
    schema = generate_schema()
    for path in ("/api/v1/me/", "/api/v1/agencies/", "/api/v1/units/", "/api/v1/memberships/"):
        assert path in schema, path


def test_schema_generates_without_warnings_or_errors():
    """drf-spectacular's warnings (two serializers with one component name, a view whose
    response it cannot infer) mean integrators get a wrong schema: none are allowed."""
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generate_schema()
    assert not GENERATOR_STATS._warn_cache, sorted(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, sorted(GENERATOR_STATS._error_cache)
