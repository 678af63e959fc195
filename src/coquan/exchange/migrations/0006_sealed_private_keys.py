# The private keys are stored encrypted (core.keyvault): the field seals whatever plain PEM
# is written, and the keys stored before are sealed here with the deployment's passphrase.

from django.db import migrations

import coquan.core.keyvault


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0005_hub_traffic_and_pull"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agencykey",
            name="private_key_pem",
            field=coquan.core.keyvault.SealedKeyField(verbose_name="private key (PEM, encrypted)"),
        ),
        coquan.core.keyvault.sealing_operation("exchange", "AgencyKey"),
    ]
