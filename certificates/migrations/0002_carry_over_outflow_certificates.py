from django.db import migrations

from certificates.carry_over import carry_over


def forwards(apps, schema_editor):
    carry_over(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("members", "0006_member_standing_transferred_out"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
