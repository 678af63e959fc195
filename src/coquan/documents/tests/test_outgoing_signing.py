"""Signing keys, the Signer interface and the visible stamps (Decree 30/2020 App. I)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from coquan.audit.models import AuditEntry
from coquan.documents import actions
from coquan.documents import files as file_store
from coquan.documents.actions.outgoing_common import current_main
from coquan.documents.models import SigningKey
from coquan.documents.signing import SigningError, get_signer, placement, stamps
from coquan.documents.signing.server import ServerKeySigner
from coquan.documents.tests.conftest import make_dept

pytestmark = pytest.mark.django_db


def test_the_command_creates_self_signed_test_keys_for_the_seal_and_a_person(db):
    dept = make_dept(with_keys=False)
    out = io.StringIO()
    call_command("documents_signing_key", dept.agency.organ_id, "--algorithm", "ec", stdout=out)
    call_command(
        "documents_signing_key",
        dept.agency.organ_id,
        "--user",
        "gd_so",
        "--algorithm",
        "ec",
        stdout=out,
    )
    assert "self-signed test key" in out.getvalue()
    seal = SigningKey.objects.agency_key(dept.agency)
    personal = SigningKey.objects.personal_key(dept.agency, dept.leader)
    assert "Sở Thông tin và Truyền thông" in seal.subject and "Lê Văn Quyết" in personal.subject
    assert AuditEntry.objects.filter(action="documents.signing_key.generate").count() == 2
    call_command("documents_signing_key", dept.agency.organ_id, "--algorithm", "ec", stdout=out)
    assert SigningKey.objects.filter(agency=dept.agency, holder=None).count() == 2
    assert SigningKey.objects.filter(agency=dept.agency, holder=None, active=True).count() == 1
    with pytest.raises(CommandError):
        call_command("documents_signing_key", "000.00.99.H99")
    with pytest.raises(CommandError):
        call_command("documents_signing_key", dept.agency.organ_id, "--user", "ngoai_so")


def test_only_admins_generate_keys(dept):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.generate_signing_key(dept.clerk, agency=dept.agency, algorithm="ec")
    key = actions.generate_signing_key(dept.admin, agency=dept.agency, algorithm="ec")
    assert key.active and key.holder is None


class RecordingSigner(ServerKeySigner):
    """A stand-in for a USB token or remote service: it records what it was asked to sign."""

    requests: list = []

    def sign_pdf(self, pdf, request):
        RecordingSigner.requests.append(request.field_name)
        return super().sign_pdf(pdf, request)


def recording_factory(agency, holder=None):
    key = (
        SigningKey.objects.personal_key(agency, holder)
        if holder
        else SigningKey.objects.agency_key(agency)
    )
    return RecordingSigner(certificate_pem=key.certificate_pem, private_key_pem=key.private_key_pem)


def test_another_signer_implementation_plugs_in_through_the_setting(dept):
    RecordingSigner.requests = []
    path = f"{__name__}.recording_factory"
    with override_settings(COQUAN_DOCUMENT_SIGNER=path):
        assert isinstance(get_signer(dept.agency), RecordingSigner)
        dept.advance(dept.draft(), "issued")
    assert RecordingSigner.requests == [placement.PERSONAL_FIELD, placement.SEAL_FIELD]


def test_a_pdf_that_cannot_be_signed_gives_a_signing_error(dept):
    signer = get_signer(dept.agency)
    request = placement.appendix_request(dept.draft())
    with pytest.raises(SigningError) as caught:
        signer.sign_pdf(b"%PDF-1.4 broken", request)
    assert caught.value.code == "signing_failed"


def test_the_seal_covers_the_left_third_of_the_signers_image(dept):
    """The signer box sits at the bottom right of the last page, the seal over its left third."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    doc = dept.advance(dept.draft(), "issued")
    reader = PdfFileReader(io.BytesIO(file_store.read_bytes(current_main(doc).file.name)))
    rects = {}
    for field in reader.root["/AcroForm"]["/Fields"]:
        field = field.get_object()
        rects[str(field["/T"])] = [float(v) for v in field["/Rect"]]
    signer_box = rects[placement.PERSONAL_FIELD]
    seal_box = rects[placement.SEAL_FIELD]
    assert signer_box == [float(v) for v in placement.SIGNER_BOX]
    third = signer_box[0] + (signer_box[2] - signer_box[0]) / 3
    width = seal_box[2] - seal_box[0]
    circle_right = seal_box[0] + width * 0.04 + width * 0.92  # the circle inside the seal image
    assert seal_box[0] < signer_box[0] < circle_right
    assert abs(circle_right - third) < 8  # about one third of the signer's image
    assert 90 <= width * 0.92 <= 110  # about 35 mm (99 pt), the real size of a seal


def test_stamp_images_are_transparent_and_coloured():
    signer = stamps.signer_image("Lê Văn Quyết", "2026-03-05T10:22:31+07:00", 210, 90)
    seal = stamps.seal_image(
        "Sở Thông tin và Truyền thông",
        "STTTT",
        ["05/QĐ-STTTT", "2026-03-05T10:22:31+07:00"],
        104,
        122,
    )
    assert signer.mode == seal.mode == "RGBA"
    assert signer.getpixel((0, 0))[3] == 0 and seal.getpixel((0, 0))[3] == 0
    signer_colours = {p[:3] for p in signer.get_flattened_data() if p[3] == 255}
    seal_colours = {p[:3] for p in seal.get_flattened_data() if p[3] == 255}
    assert signer_colours == {stamps.BLUE[:3]}
    assert seal_colours and all(r > 150 and g < 40 and b < 40 for r, g, b in seal_colours)
    text = stamps.text_stamp_image(["05/QĐ-STTTT", "2026-03-05T10:22:31+07:00"], 195, 32)
    assert {p[:3] for p in text.get_flattened_data() if p[3] == 255} == {stamps.BLACK[:3]}


def test_iso_time_is_vietnam_time_to_the_second():
    import datetime as dt

    moment = dt.datetime(2026, 3, 5, 3, 22, 31, 123456, tzinfo=dt.UTC)
    assert placement.iso_time(moment) == "2026-03-05T10:22:31+07:00"


def test_keys_are_stored_sealed_and_a_changed_passphrase_is_a_clear_signing_error(dept):
    from django.db import connection

    from coquan.core.keyvault import SEALED_HEADER
    from coquan.documents.signing.server import _cached_signer

    key = SigningKey.objects.agency_key(dept.agency)
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key_pem FROM documents_signingkey WHERE id = %s", [key.pk])
        assert cursor.fetchone()[0].startswith(SEALED_HEADER)
    assert isinstance(get_signer(dept.agency), ServerKeySigner)
    _cached_signer.cache_clear()
    with (
        override_settings(COQUAN_KEY_PASSPHRASE="not the passphrase of these keys"),
        pytest.raises(SigningError) as caught,
    ):
        get_signer(dept.agency)
    assert caught.value.code == "key_sealed"
    assert "COQUAN_KEY_PASSPHRASE" in caught.value.messages[0]
    _cached_signer.cache_clear()
    assert isinstance(get_signer(dept.agency), ServerKeySigner)
