"""Every outflow registered before report-ins had a due date gets one: REPORT_IN_DUE_DAYS after its departure."""

import datetime

from django.conf import settings
from django.db import migrations


def compute_due_dates(apps, schema_editor):
    Outflow = apps.get_model("members", "Outflow")
    days = datetime.timedelta(days=getattr(settings, "REPORT_IN_DUE_DAYS", 30))
    batch = []
    rows = Outflow.objects.filter(report_due_on__isnull=True).only("pk", "departure_date").order_by("pk")
    for outflow in rows.iterator(chunk_size=2000):
        outflow.report_due_on = outflow.departure_date + days
        batch.append(outflow)
        if len(batch) >= 2000:
            Outflow.objects.bulk_update(batch, ["report_due_on"])
            batch = []
    if batch:
        Outflow.objects.bulk_update(batch, ["report_due_on"])


class Migration(migrations.Migration):
    dependencies = [("members", "0007_report_in_and_destination_partners")]

    operations = [migrations.RunPython(compute_due_dates, migrations.RunPython.noop, elidable=True)]
