"""Search index of one-stop dossiers (found by ``coquan.search`` at start-up).

A dossier is found by its code (high weight), its procedure's name (high), the applicant's
name (medium) and the notes of the desk and of the result (low). Dossiers carry personal
data (standards §5.2): the search applies ``Dossier.objects.visible_to(user)`` in its SQL,
so only the desk officers and leaders of the receiving agency and the people and units the
dossier was handed to find it. Dossiers submitted online and not yet accepted have no code;
they are found by the other fields.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from coquan.onestop.choices import DossierStatus
from coquan.onestop.models import Dossier
from coquan.search.registry import IndexedObject, SearchIndex, register


class DossierIndex(SearchIndex):
    """One-stop dossiers (hồ sơ thủ tục hành chính): one entry per dossier."""

    model_label = "onestop.Dossier"
    status_choices = DossierStatus
    # visible_to(user) reads memberships, roles and hand-overs in its own SQL.
    visibility_cacheable = True

    def queryset(self):
        return Dossier.objects.select_related("procedure")

    def entry(self, obj) -> IndexedObject:
        received = obj.received_at or obj.created_at
        return IndexedObject(
            agency_id=obj.agency_id,
            number=obj.dossier_code or "",
            title=obj.procedure.name,
            issuer=obj.applicant_name,
            body="\n".join(text for text in (obj.note, obj.result_note) if text),
            type_code=obj.procedure.code,
            type_name=obj.procedure.name,
            status=obj.status,
            date=timezone.localdate(received) if received else None,
            unit_id=obj.assignee_unit_id,
        )

    def url(self, object_id: int) -> str:
        return reverse("onestop:dossier_detail", args=[object_id])


register(DossierIndex())
