"""The audit log, made by the training app (0007), taken over as it is."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ['auditentry']


def _content_types_follow(apps, schema_editor):
    """The models' content types (and with them their permissions) move to this app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="training", model=model).update(app_label="core")


def _content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MODELS).update(app_label="training")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('training', '0013_completion_and_audit_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The tables stay as they are (db_table keeps their names): only Django's idea of which
        # app holds the models changes, so no row moves.
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                        ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='操作人姓名')),
                        ('action', models.CharField(db_index=True, max_length=40, verbose_name='操作')),
                        ('target', models.CharField(blank=True, help_text='模型和主键，如 LeaveRequest#12', max_length=60, verbose_name='对象')),
                        ('label', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('before', models.JSONField(blank=True, null=True, verbose_name='修改前')),
                        ('after', models.JSONField(blank=True, null=True, verbose_name='修改后')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                        ('course', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_entries', to='training.course', verbose_name='培训班')),
                    ],
                    options={
                        'verbose_name': '审计日志',
                        'verbose_name_plural': '审计日志',
                        'db_table': 'training_auditentry',
                        'ordering': ['-at', '-pk'],
                    },
                ),
    
        ]),
        migrations.RunPython(_content_types_follow, _content_types_go_back),
    ]
