"""Loading related rows without widening a join.

``select_related`` joins every relation into one statement. PostgreSQL's planner searches
join orders exhaustively up to ``join_collapse_limit`` (8) tables, so planning time grows
exponentially with the number of joined tables: for an incoming document's page (the
document and seven relations) it was ~9 ms of planning for 0.5 ms of execution on 10^6
documents (bench/inbox.py), while the same row with four joins plans in under 1 ms; and
Django's compilation of a wide join costs more than a plain ``IN`` query.
``load_related_groups`` fills forward foreign keys with one plain ``IN`` query per *target
model*, across several lists of rows: the people of a document, of its timeline and of its
files in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def load_related_groups(*groups: tuple[Iterable, Iterable[str]]) -> None:
    """Fill forward foreign keys of several lists at once: ``(rows, field names)`` each.

    One query per related model (and target column), whatever the number of lists and
    fields pointing to it; afterwards ``row.<field>`` needs no query. Empty keys become
    ``None``. A name that is not a forward foreign key raises ``ValueError``.
    """
    wanted = defaultdict(list)  # (model, target column) -> [(rows, field)]
    for instances, field_names in groups:
        rows = [obj for obj in instances if obj is not None]
        if not rows:
            continue
        meta = rows[0]._meta
        for name in field_names:
            field = meta.get_field(name)
            if not (field.many_to_one or field.one_to_one) or field.auto_created:
                raise ValueError(f"{meta.label}.{name} is not a forward foreign key")
            wanted[field.related_model, field.target_field.attname].append((rows, field))
    for (model, target), uses in wanted.items():
        keys = {getattr(obj, field.attname) for rows, field in uses for obj in rows}
        keys.discard(None)
        # The base manager, as Django's own descriptor uses to follow a foreign key.
        found = model._base_manager.in_bulk(keys, field_name=target) if keys else {}
        for rows, field in uses:
            for obj in rows:
                key = getattr(obj, field.attname)
                field.set_cached_value(obj, None if key is None else found.get(key))
