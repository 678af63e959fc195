# The private keys are stored encrypted (core.keyvault): the field seals whatever plain PEM
# is written, and the keys stored before are sealed here with the deployment's passphrase.

from django.db import migrations

import coquan.core.keyvault


def seal_stored_keys(apps, schema_editor):
    model = apps.get_model("documents", "SigningKey")
    coquan.core.keyvault.reseal_rows(model, "private_key_pem")


def open_stored_keys(apps, schema_editor):
    model = apps.get_model("documents", "SigningKey")
    for pk, stored in model.objects.values_list("pk", "private_key_pem"):
        if coquan.core.keyvault.is_sealed(stored):
            plain = coquan.core.keyvault.unseal(stored).decode("ascii")
            # A plain TextField again after this migration is reversed: write it raw.
            schema_editor.execute(
                f"UPDATE {model._meta.db_table} SET private_key_pem = %s WHERE id = %s",
                [plain, pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0009_incoming_arrival_list_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signingkey",
            name="private_key_pem",
            field=coquan.core.keyvault.SealedKeyField(verbose_name="private key (PEM, encrypted)"),
        ),
        migrations.RunPython(seal_stored_keys, open_stored_keys),
    ]
