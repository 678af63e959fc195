"""Before/after values as the rows of the detail page's comparison table."""

from __future__ import annotations

from coquan.audit.diff import diff_rows


def test_objects_compare_key_by_key():
    rows = diff_rows(
        {"name": "Phòng A", "code": "PA", "old": 1},
        {"name": "Phòng B", "code": "PA", "new": [1, 2]},
    )
    assert [(r.key, r.before, r.after, r.change) for r in rows] == [
        ("code", "PA", "PA", "same"),
        ("name", "Phòng A", "Phòng B", "changed"),
        ("new", "", "[1, 2]", "added"),
        ("old", "1", "", "removed"),
    ]
    assert [r.changed for r in rows] == [False, True, True, True]


def test_creation_and_deletion_have_one_side():
    assert [(r.key, r.change) for r in diff_rows(None, {"a": None})] == [("a", "added")]
    assert [(r.key, r.after) for r in diff_rows({"a": True}, None)] == [("a", "")]


def test_other_values_are_one_row():
    [row] = diff_rows([1, 2], [1, 2, 3])
    assert (row.key, row.before, row.after, row.change) == ("", "[1, 2]", "[1, 2, 3]", "changed")
    [row] = diff_rows(None, "đã duyệt")
    assert (row.before, row.after, row.change) == ("", "đã duyệt", "added")


def test_nothing_recorded_means_no_rows():
    assert diff_rows(None, None) == []
