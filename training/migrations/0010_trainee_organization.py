import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Trainees become each organization's own (issue 14). First the column, empty; the next
    migration fills it (splitting a person two organizations share); the one after requires it."""

    dependencies = [
        ("training", "0009_certificate_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="trainee",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="trainees",
                to="training.organization",
                verbose_name="主办单位",
            ),
        ),
        migrations.RemoveConstraint(model_name="trainee", name="trainee_id_number_unique"),
        migrations.AlterField(
            model_name="trainee",
            name="phone",
            field=models.CharField(
                max_length=11,
                validators=[django.core.validators.RegexValidator("^1[3-9]\\d{9}$", "请填写11位手机号码")],
                verbose_name="手机号码",
            ),
        ),
    ]
