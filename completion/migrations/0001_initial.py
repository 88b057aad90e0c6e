"""The models of 结业, made by the training app (0004-0009), taken over as they are."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ['completionoverride', 'certificate', 'certificatejob']


def _content_types_follow(apps, schema_editor):
    """The models' content types (and with them their permissions) move to this app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="completion", model=model).exists():
            ContentType.objects.filter(app_label="training", model=model).update(app_label="completion")


def _content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="completion", model__in=MODELS).update(app_label="training")


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
                    name='CertificateJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发起时间')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='最近进展')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('status', models.CharField(choices=[('queued', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], default='queued', max_length=10, verbose_name='状态')),
                        ('issued', models.PositiveIntegerField(default=0, verbose_name='新颁发')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='证书数')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='已生成')),
                        ('archive', models.FileField(blank=True, upload_to='certificate-zips/', verbose_name='ZIP')),
                        ('error', models.CharField(blank=True, max_length=300, verbose_name='错误')),
                        ('course', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificate_jobs', to='training.course', verbose_name='培训班')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
                    ],
                    options={
                        'verbose_name': '证书生成任务',
                        'verbose_name_plural': '证书生成任务',
                        'db_table': 'training_certificatejob',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CompletionOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('eligible', models.BooleanField(verbose_name='可结业')),
                        ('reason', models.CharField(max_length=300, verbose_name='理由')),
                        ('decided_at', models.DateTimeField(verbose_name='决定时间')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='决定人')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='completion_overrides', to='training.enrollment')),
                    ],
                    options={
                        'verbose_name': '结业认定调整',
                        'verbose_name_plural': '结业认定调整',
                        'db_table': 'training_completionoverride',
                        'ordering': ['decided_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Certificate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.PositiveIntegerField(verbose_name='顺序号')),
                        ('version', models.PositiveSmallIntegerField(default=1, verbose_name='版本')),
                        ('number', models.CharField(max_length=80, verbose_name='证书编号')),
                        ('token', models.CharField(max_length=64, unique=True, verbose_name='查验码')),
                        ('name', models.CharField(max_length=40, verbose_name='姓名')),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='学时')),
                        ('status', models.CharField(choices=[('valid', '有效'), ('revoked', '已撤销'), ('reissued', '已重新颁发')], default='valid', max_length=10, verbose_name='状态')),
                        ('issued_at', models.DateTimeField(verbose_name='颁发时间')),
                        ('dated', models.DateField(blank=True, help_text='印在证书上的日期（颁发时取培训班的证书落款日期或结束日期）', null=True, verbose_name='落款日期')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='撤销时间')),
                        ('revoke_reason', models.CharField(blank=True, max_length=200, verbose_name='撤销原因')),
                        ('pdf', models.FileField(blank=True, upload_to='certificates/', verbose_name='证书 PDF')),
                        ('pdf_sha256', models.CharField(blank=True, max_length=64, verbose_name='PDF 的 SHA-256')),
                        ('course', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='training.course', verbose_name='培训班')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='training.enrollment', verbose_name='学员')),
                        ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='颁发人')),
                    ],
                    options={
                        'verbose_name': '结业证书',
                        'verbose_name_plural': '结业证书',
                        'db_table': 'training_certificate',
                        'ordering': ['course', 'seq', 'version'],
                        'constraints': [models.UniqueConstraint(fields=('course', 'seq', 'version'), name='certificate_unique_number_version'), models.UniqueConstraint(condition=models.Q(('status', 'valid')), fields=('enrollment',), name='certificate_one_valid_per_enrollment')],
                    },
                ),
    
        ]),
        migrations.RunPython(_content_types_follow, _content_types_go_back),
    ]
