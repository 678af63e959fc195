"""Private keys at rest (core.keyvault): sealed in the database, opened to sign, re-sealed
when the passphrase changes."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from coquan.audit.models import AuditEntry
from coquan.core import keyvault
from coquan.core.checks import key_passphrase
from coquan.core.testing.factories import AgencyFactory, UserFactory
from coquan.exchange.actions import install_agency_key
from coquan.exchange.models import AgencyKey
from coquan.exchange.tests.helpers import key_pair

PLAIN_HEADER = b"-----BEGIN PRIVATE KEY-----"


@pytest.fixture
def plain_pem():
    return key_pair("000.00.99.H99")[0]


def stored(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key_pem FROM exchange_agencykey WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def store_raw(pk: int, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE exchange_agencykey SET private_key_pem = %s WHERE id = %s", [text, pk]
        )


def test_seal_and_unseal_give_the_same_key_back(plain_pem):
    sealed = keyvault.seal(plain_pem)
    assert sealed.startswith(keyvault.SEALED_HEADER)
    assert PLAIN_HEADER.decode() not in sealed
    assert keyvault.unseal(sealed) == plain_pem.replace(b"\r\n", b"\n")
    # A key stored by an earlier version (plain) is read as it is.
    assert keyvault.unseal(plain_pem.decode()) == plain_pem


def test_the_wrong_passphrase_says_what_to_do(plain_pem):
    with override_settings(COQUAN_KEY_PASSPHRASE="first passphrase"):
        sealed = keyvault.seal(plain_pem)
    with (
        override_settings(COQUAN_KEY_PASSPHRASE="another passphrase"),
        pytest.raises(keyvault.SealedKeyError) as caught,
    ):
        keyvault.unseal(sealed)
    assert "COQUAN_KEY_PASSPHRASE" in str(caught.value)
    assert "reseal_private_keys" in str(caught.value)


def test_without_a_passphrase_the_key_is_derived_from_the_secret_key(settings, plain_pem):
    settings.COQUAN_KEY_PASSPHRASE = ""
    derived = keyvault.passphrase()
    assert derived != settings.SECRET_KEY.encode()
    assert derived == keyvault.passphrase(f"secret-key:{settings.SECRET_KEY}")
    settings.SECRET_KEY = "another secret key"
    assert keyvault.passphrase() != derived


def test_something_that_is_no_key_cannot_be_sealed():
    with pytest.raises(keyvault.SealedKeyError):
        keyvault.seal("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")


@pytest.mark.django_db
def test_every_key_model_of_the_deployment_stores_its_key_sealed():
    labels = {model._meta.label for model, _name in keyvault.sealed_fields()}
    assert labels == {"exchange.AgencyKey", "documents.SigningKey"}


@pytest.mark.django_db
def test_a_key_written_through_the_orm_is_stored_sealed(plain_pem):
    key_pem, cert_pem = key_pair("000.00.99.H99")
    agency = AgencyFactory(organ_id="000.00.99.H99")
    row = install_agency_key(None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    text = stored(row.pk)
    assert text.startswith(keyvault.SEALED_HEADER)
    assert PLAIN_HEADER.decode() not in text
    # An update through the ORM seals too.
    AgencyKey.objects.filter(pk=row.pk).update(private_key_pem=key_pem.decode())
    assert stored(row.pk).startswith(keyvault.SEALED_HEADER)
    assert keyvault.unseal(stored(row.pk)) == keyvault.unseal(key_pem)


@pytest.fixture
def agency_key(db):
    key_pem, cert_pem = key_pair("000.00.99.H99")
    agency = AgencyFactory(organ_id="000.00.99.H99")
    return install_agency_key(
        None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem
    )


def test_the_command_seals_keys_stored_plain(agency_key, plain_pem, capsys):
    store_raw(agency_key.pk, plain_pem.decode())
    call_command("reseal_private_keys")
    assert "exchange.AgencyKey: 1 sealed, 0 re-encrypted, 0 unchanged" in capsys.readouterr().out
    assert stored(agency_key.pk).startswith(keyvault.SEALED_HEADER)
    assert keyvault.unseal(stored(agency_key.pk)) == plain_pem
    entry = AuditEntry.objects.get(action="core.keys.reseal")
    assert entry.after["exchange.AgencyKey"]["sealed"] == 1


def test_the_command_re_encrypts_after_the_passphrase_changed(agency_key, plain_pem, monkeypatch):
    with override_settings(COQUAN_KEY_PASSPHRASE="old passphrase"):
        store_raw(agency_key.pk, keyvault.seal(plain_pem))
    with override_settings(COQUAN_KEY_PASSPHRASE="new passphrase"):
        with pytest.raises(keyvault.SealedKeyError):
            AgencyKey.objects.get(pk=agency_key.pk).signer()
        monkeypatch.setenv("OLD_KEY_PASSPHRASE", "old passphrase")
        call_command("reseal_private_keys", old_passphrase_env="OLD_KEY_PASSPHRASE")
        signer = AgencyKey.objects.get(pk=agency_key.pk).signer()
        assert signer.private_key_pem == plain_pem
    with (
        override_settings(COQUAN_KEY_PASSPHRASE="old passphrase"),
        pytest.raises(keyvault.SealedKeyError),
    ):
        keyvault.unseal(stored(agency_key.pk))


def test_from_a_secret_key_to_a_passphrase_of_its_own(agency_key, plain_pem, settings, monkeypatch):
    settings.COQUAN_KEY_PASSPHRASE = ""
    store_raw(agency_key.pk, keyvault.seal(plain_pem))
    old_secret_key = settings.SECRET_KEY
    settings.COQUAN_KEY_PASSPHRASE = "a passphrase of its own"
    monkeypatch.setenv("OLD_KEY_PASSPHRASE", f"secret-key:{old_secret_key}")
    call_command("reseal_private_keys", old_passphrase_env="OLD_KEY_PASSPHRASE")
    assert keyvault.unseal(stored(agency_key.pk)) == plain_pem


def test_a_key_no_passphrase_opens_is_named_and_left_as_it_is(agency_key, plain_pem, monkeypatch):
    with override_settings(COQUAN_KEY_PASSPHRASE="lost passphrase"):
        lost = keyvault.seal(plain_pem)
    store_raw(agency_key.pk, lost)
    monkeypatch.setenv("OLD_KEY_PASSPHRASE", "a wrong guess")
    with pytest.raises(CommandError, match=f"exchange.AgencyKey#{agency_key.pk}"):
        call_command("reseal_private_keys", old_passphrase_env="OLD_KEY_PASSPHRASE")
    assert stored(agency_key.pk) == lost


def test_the_command_refuses_an_empty_variable(agency_key, monkeypatch):
    monkeypatch.delenv("OLD_KEY_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="OLD_KEY_PASSPHRASE"):
        call_command("reseal_private_keys", old_passphrase_env="OLD_KEY_PASSPHRASE")


def test_only_the_system_or_a_superuser_reseals(agency_key):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        keyvault.reseal_private_keys(UserFactory())
    keyvault.reseal_private_keys(UserFactory(is_superuser=True))
    assert AuditEntry.objects.filter(action="permission_denied").exists()


def test_production_without_a_passphrase_is_warned(settings):
    settings.DEBUG = False
    settings.COQUAN_KEY_PASSPHRASE = ""
    assert [w.id for w in key_passphrase(None)] == ["coquan.W001"]
    settings.COQUAN_KEY_PASSPHRASE = "set"
    assert key_passphrase(None) == []


class _Executor:
    """The part of a schema editor the reverse migration uses."""

    def execute(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("module", "table"),
    [
        ("coquan.exchange.migrations.0006_sealed_private_keys", "exchange_agencykey"),
        ("coquan.documents.migrations.0010_sealed_private_keys", "documents_signingkey"),
    ],
)
def test_the_migrations_seal_the_stored_keys_and_their_reversal_opens_them(
    agency_key, plain_pem, module, table
):
    import importlib

    from django.apps import apps

    from coquan.documents.models import SigningKey
    from coquan.documents.tests.conftest import make_dept

    pk = agency_key.pk
    if table == "documents_signingkey":
        pk = SigningKey.objects.agency_key(make_dept().agency).pk

    def text():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT private_key_pem FROM {table} WHERE id = %s", [pk])  # noqa: S608
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET private_key_pem = %s WHERE id = %s",  # noqa: S608
            [plain_pem.decode(), pk],
        )
    operation = importlib.import_module(module).Migration.operations[-1]
    operation.code(apps, None)
    assert text().startswith(keyvault.SEALED_HEADER)
    assert keyvault.unseal(text()) == plain_pem
    operation.reverse_code(apps, _Executor())
    assert text() == plain_pem.decode()
