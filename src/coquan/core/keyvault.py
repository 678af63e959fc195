"""Private keys at rest: stored encrypted, opened only where a signature is made.

The signing keys the server holds (the exchange app's ``AgencyKey``, the documents app's
``SigningKey``) keep their private key in a ``SealedKeyField``: whatever PEM is saved is
written as an encrypted PKCS#8 PEM (``-----BEGIN ENCRYPTED PRIVATE KEY-----``, PBES2 with
AES-256 from the ``cryptography`` library), so a copy of the database or of a backup holds
no usable key. The passphrase is ``COQUAN_KEY_PASSPHRASE``, or when that is not set one
derived from ``COQUAN_SECRET_KEY`` (docs/deploy.md: set it, and keep it out of the database
backups).

``unseal`` gives the plain PEM back to the code that signs (once per process and key:
the key derivation costs milliseconds); a key stored before this version (plain PEM) is
read as it is until ``coquan reseal_private_keys`` (or the migration that added the field)
seals it. With the wrong passphrase ``unseal`` raises ``SealedKeyError`` with a message
saying so, never a bare decryption error. ``reseal_private_keys`` also re-encrypts every
key after the passphrase changed (the old one given through an environment variable).
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe

SEALED_HEADER = "-----BEGIN ENCRYPTED PRIVATE KEY-----"


class SealedKeyError(ValueError):
    """A stored private key that cannot be opened (wrong passphrase, damaged text)."""


DERIVED_PREFIX = "secret-key:"


def passphrase(secret: str | None = None) -> bytes:
    """The passphrase keys are sealed with: ``secret``, else ``COQUAN_KEY_PASSPHRASE``,
    else derived from ``SECRET_KEY`` (HMAC-SHA256 with a label of its own, so the secret
    key itself is never the passphrase). ``secret`` may also be ``secret-key:<key>``: the
    passphrase derived from that (earlier) secret key."""
    if secret is None:
        secret = getattr(settings, "COQUAN_KEY_PASSPHRASE", "")
    if secret.startswith(DERIVED_PREFIX):
        return _derived(secret[len(DERIVED_PREFIX) :])
    if secret:
        return secret.encode("utf-8")
    return _derived(settings.SECRET_KEY)


def _derived(secret_key: str) -> bytes:
    digest = hmac.new(secret_key.encode("utf-8"), b"coquan.keyvault.private-keys", hashlib.sha256)
    return digest.hexdigest().encode("ascii")


def is_sealed(stored: str | bytes) -> bool:
    text = stored.decode("ascii", "replace") if isinstance(stored, bytes) else stored
    return text.lstrip().startswith(SEALED_HEADER)


def seal(pem: str | bytes, *, secret: str | None = None) -> str:
    """The private key ``pem`` (plain PEM) as an encrypted PKCS#8 PEM text."""
    from cryptography.hazmat.primitives import serialization

    data = pem.encode("ascii") if isinstance(pem, str) else bytes(pem)
    try:
        # Only re-encoded here: the callers check the key (RSA validation costs ~50 ms).
        key = serialization.load_pem_private_key(
            data, password=None, unsafe_skip_rsa_key_validation=True
        )
    except (TypeError, ValueError) as exc:
        raise SealedKeyError(_("The private key cannot be read.")) from exc
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase(secret)),
    ).decode("ascii")


def unseal(stored: str | bytes, *, secret: str | None = None) -> bytes:
    """The plain PEM of a stored private key (sealed, or plain from an earlier version)."""
    text = stored.decode("ascii") if isinstance(stored, bytes) else stored
    if not is_sealed(text):
        return text.encode("ascii")
    return _open(text, passphrase(secret))


@functools.lru_cache(maxsize=128)
def _open(text: str, password: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(
            text.encode("ascii"), password=password, unsafe_skip_rsa_key_validation=True
        )
    except (TypeError, ValueError) as exc:
        raise SealedKeyError(
            _(
                "A private key stored in the database cannot be opened with this "
                "deployment's passphrase (COQUAN_KEY_PASSPHRASE or COQUAN_SECRET_KEY was "
                "changed?). Restore the passphrase, or re-encrypt the keys with "
                "'coquan reseal_private_keys --old-passphrase-env'."
            )
        ) from exc
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class SealedKeyField(models.TextField):
    """A private key stored sealed: any plain PEM saved through the ORM (``create``,
    ``save``, ``update``) is written encrypted; reading gives the stored (sealed) text,
    opened with ``unseal`` where a signature is made."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value and not is_sealed(value):
            return seal(value)
        return value


def sealed_fields():
    """Every (model, field name) holding a private key in this deployment."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, SealedKeyField)
    ]


def reseal_rows(model, field_name: str, *, old_secret: str | None = None) -> dict:
    """Seal the plain keys of ``model`` and re-encrypt those sealed with ``old_secret``
    under the current passphrase. Returns counts: sealed, resealed, unchanged, unreadable
    (a key neither passphrase opens: left as it is, and named by the caller)."""
    counts = {"sealed": 0, "resealed": 0, "unchanged": 0, "unreadable": []}
    rows = model._base_manager.order_by("pk").values_list("pk", field_name)
    for pk, stored in rows.iterator():
        if not stored or (is_sealed(stored) and _opens(stored)):
            counts["unchanged"] += 1
            continue
        if not is_sealed(stored):
            plain, outcome = stored, "sealed"
        elif old_secret is not None and _opens(stored, old_secret):
            plain, outcome = unseal(stored, secret=old_secret), "resealed"
        else:
            counts["unreadable"].append(pk)
            continue
        model._base_manager.filter(pk=pk).update(**{field_name: seal(plain)})
        counts[outcome] += 1
    return counts


def _opens(stored: str, secret: str | None = None) -> bool:
    try:
        unseal(stored, secret=secret)
    except SealedKeyError:
        return False
    return True


def _require_system_or_superuser(actor, **kwargs) -> None:
    from django.core.exceptions import PermissionDenied

    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a superuser may re-encrypt the private keys."))


@action("core.keys.reseal", permission=_require_system_or_superuser)
def reseal_private_keys(actor, *, old_secret: str | None = None) -> dict:
    """Seal every private key still stored plain and re-encrypt those sealed with
    ``old_secret`` under the current passphrase, in one transaction with one audit entry.

    Who: the system (``coquan reseal_private_keys``) or a superuser. Returns the counts per
    model; keys neither passphrase opens are left as they are and listed by primary key.
    """
    results = {
        model._meta.label: reseal_rows(model, name, old_secret=old_secret)
        for model, name in sealed_fields()
    }
    describe(
        summary="; ".join(
            f"{label}: {c['sealed']} sealed, {c['resealed']} re-encrypted, "
            f"{c['unchanged']} unchanged, {len(c['unreadable'])} unreadable"
            for label, c in results.items()
        )[:500],
        after=results,
    )
    return results


def sealing_operation(app_label: str, model_name: str, field_name: str = "private_key_pem"):
    """The data migration that goes with a field becoming a ``SealedKeyField``: seals the
    keys already stored; reversed, writes them back plain (raw SQL: the field would seal)."""
    from django.db import migrations

    def seal_stored(apps, schema_editor):
        reseal_rows(apps.get_model(app_label, model_name), field_name)

    def open_stored(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table, pk_column = model._meta.db_table, model._meta.pk.column
        for pk, stored in model._base_manager.values_list("pk", field_name):
            if is_sealed(stored):
                schema_editor.execute(
                    f"UPDATE {table} SET {field_name} = %s WHERE {pk_column} = %s",  # noqa: S608
                    [unseal(stored).decode("ascii"), pk],
                )

    return migrations.RunPython(seal_stored, open_stored)
