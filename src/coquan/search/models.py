"""The search index rows, the rebuild cursor and people's saved searches.

The engine-specific structures live beside ``SearchEntry`` and are created by migration
``0002_engines`` for the database in use (DESIGN.md §6):

- SQLite: the FTS5 table ``search_fts`` (external content = ``search_searchentry``, columns
  ``text_a``, ``text_b``, ``text_c``, ``fts_scope``, ``tokenize = 'unicode61
  remove_diacritics 2'``) kept in step by triggers on insert, delete and update of those
  columns (``coquan.search.engines`` re-creates missing triggers after migrations, since
  SQLite drops them when Django rebuilds the table);
- PostgreSQL: the ``vn_unaccent`` text-search configuration, the generated column
  ``search_searchentry.vector`` (``setweight`` A/B/C of the three text columns, D of the
  agency word) with its GIN index, and a b-tree on (agency, id). A generated column is
  computed by the database on every write of the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchEntry(models.Model):
    """One indexed object: folded text by weight, original text for display, filter columns.

    Written only by ``coquan.search.indexing`` (``index``, ``remove``, ``rebuild``) and marked
    ``dirty`` by the receivers of ``coquan.search.signals`` when the object changed and the
    queued index task has not run yet; ``repair_search_index`` re-indexes dirty rows.
    Visibility is never copied here: a search joins the indexed model's own
    ``visible_to(user)`` in the same SQL, so a grant or an assignment takes effect at once.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of object"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    # Original text, for display and highlighting.
    number = models.CharField(_("number and notation"), max_length=60, blank=True)
    title = models.CharField(_("subject"), max_length=500, blank=True)
    issuer = models.CharField(_("issuing agency"), max_length=200, blank=True)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    body = models.TextField(_("attachment text"), blank=True)
    # Folded words by weight (A: number, notation, subject; B: issuer, signer; C: files).
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)
    # The agency as a word ("a12"): SQLite's FTS5 intersects it with the words searched, so a
    # search reads the matches of one agency only (unused by PostgreSQL's GIN + b-tree plan).
    fts_scope = models.CharField(max_length=24, blank=True)
    # Filter and facet columns.
    type_code = models.CharField(_("document type"), max_length=40, blank=True)
    type_name = models.CharField(_("document type name"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), default=0)
    dirty = models.BooleanField(_("waiting to be indexed"), default=False)
    indexed_at = models.DateTimeField(_("indexed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_entry_one_per_object"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "date"], name="search_entry_agency_date"),
            models.Index(fields=["dirty"], condition=Q(dirty=True), name="search_entry_dirty"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:60]}".strip()


class RebuildCursor(models.Model):
    """Where a rebuild of one model's index stands: the last primary key done.

    ``rebuild_search_index`` moves it after each chunk, in the chunk's transaction, so an
    interrupted rebuild resumes (``--resume``) after the last committed chunk.
    """

    model_label = models.CharField(_("model"), max_length=100, unique=True)
    last_pk = models.BigIntegerField(_("last primary key done"), default=0)
    done = models.PositiveBigIntegerField(_("objects done"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("index rebuild cursor")
        verbose_name_plural = _("index rebuild cursors")

    def __str__(self) -> str:
        return f"{self.model_label} > {self.last_pk}"


class SavedSearchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own saved searches (nobody else's, superusers included)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner_id=user.pk)


class SavedSearch(models.Model):
    """A search a person keeps to run again: the query text and its filters.

    Private to its owner (no one else sees, runs or changes it); created, renamed and
    deleted only through ``coquan.search.actions``. Running it applies the owner's access
    of the day: saving a search never saves results.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("saved search", "owner"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("search text"), max_length=500)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
