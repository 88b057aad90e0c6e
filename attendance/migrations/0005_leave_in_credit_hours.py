"""A leave request counts the 学时 of the sessions it covers, as completion does, instead of their
clock hours. Existing requests are recounted; who had to approve them stays as decided when asked."""

from decimal import Decimal

from django.db import migrations, models


def recount(apps, schema_editor):
    LeaveRequest = apps.get_model("attendance", "LeaveRequest")
    for leave in LeaveRequest.objects.prefetch_related("sessions"):
        hours = sum((s.credit_hours for s in leave.sessions.all()), Decimal("0")).quantize(Decimal("0.1"))
        if leave.hours != hours:
            LeaveRequest.objects.filter(pk=leave.pk).update(hours=hours)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0004_bulletin_number_required"),
    ]

    operations = [
        migrations.AlterField(
            model_name="leaverequest",
            name="hours",
            field=models.DecimalField(decimal_places=1, max_digits=5, verbose_name="学时"),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
