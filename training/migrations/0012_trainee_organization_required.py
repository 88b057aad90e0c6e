import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0011_trainee_organization_values"),
    ]

    operations = [
        migrations.AlterField(
            model_name="trainee",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="trainees",
                to="training.organization",
                verbose_name="主办单位",
            ),
        ),
        migrations.AddConstraint(
            model_name="trainee",
            constraint=models.UniqueConstraint(
                fields=("organization", "phone"), name="trainee_unique_phone_per_organization"
            ),
        ),
        migrations.AddConstraint(
            model_name="trainee",
            constraint=models.UniqueConstraint(
                condition=models.Q(("id_number", ""), _negated=True),
                fields=("organization", "id_number"),
                name="trainee_id_number_unique_per_organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="trainee",
            constraint=models.UniqueConstraint(fields=("phone", "access_code"), name="trainee_unique_login"),
        ),
    ]
