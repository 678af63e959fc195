"""Agency signing keys: the management command and the install action."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.exchange.actions import generate_agency_key, install_agency_key, receive_package
from coquan.exchange.edxml import build_document_package
from coquan.exchange.edxml.safe import parse_xml
from coquan.exchange.edxml.signing import verify_tree
from coquan.exchange.models import AgencyKey
from coquan.exchange.pipeline import status_content
from coquan.exchange.tests.helpers import RECIPIENT, SENDER, key_pair, make_package

pytestmark = pytest.mark.django_db


def test_command_creates_a_self_signed_key_for_the_agency(recipient, capsys):
    call_command("exchange_generate_key", agency=RECIPIENT, bits=2048, days=30)
    key = AgencyKey.objects.get(agency=recipient)
    assert key.active
    certificate = x509.load_pem_x509_certificate(key.certificate_pem.encode())
    assert certificate.subject == certificate.issuer  # self-signed: no CA exists here
    assert RECIPIENT in certificate.subject.rfc4514_string()
    assert key.fingerprint in capsys.readouterr().out
    assert AuditEntry.objects.get(action="exchange.key.install").actor_id is None

    call_command("exchange_generate_key", agency=RECIPIENT, bits=2048)
    assert AgencyKey.objects.filter(agency=recipient).count() == 2
    assert AgencyKey.objects.filter(agency=recipient, active=True).count() == 1


def test_command_refuses_an_unknown_agency(db):
    with pytest.raises(CommandError):
        call_command("exchange_generate_key", agency="999.99.99.Z99", bits=2048)


def test_statuses_are_signed_with_the_new_key(recipient, clerk):
    call_command("exchange_generate_key", agency=RECIPIENT, bits=2048)
    key = AgencyKey.objects.get(agency=recipient)
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(make_package()), source="web"
    )
    result = verify_tree(
        parse_xml(status_content(receipt.status)),
        sender_organ_id=RECIPIENT,
        trusted=lambda organ_id: [key.certificate()],
    )
    assert result.status == "valid"


def test_a_certificate_of_another_key_is_refused(recipient):
    key_pem, _cert = key_pair(RECIPIENT)
    _key, other_cert = key_pair(SENDER)
    with pytest.raises(ValidationError):
        install_agency_key(
            None, agency=recipient, private_key_pem=key_pem, certificate_pem=other_cert
        )
    assert AgencyKey.objects.count() == 0


def test_only_administrators_create_keys(recipient, clerk):
    with pytest.raises(PermissionDenied):
        generate_agency_key(clerk, agency=recipient, key_size=2048)
    admin = make_member(recipient, "admin")
    assert generate_agency_key(admin, agency=recipient, key_size=2048).active
