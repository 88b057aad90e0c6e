"""Completion's models move to the completion app and the audit log to core (their own
migrations take them over, state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0012_trainee_organization_required'),
    ]

    operations = [
        # The tables stay as they are (db_table keeps their names): only Django's idea of which
        # app holds the models changes, so no row moves.
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.RemoveField(
                    model_name='certificate',
                    name='course',
                ),
                migrations.RemoveField(
                    model_name='certificate',
                    name='enrollment',
                ),
                migrations.RemoveField(
                    model_name='certificate',
                    name='issued_by',
                ),
                migrations.RemoveField(
                    model_name='certificatejob',
                    name='course',
                ),
                migrations.RemoveField(
                    model_name='certificatejob',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='completionoverride',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='completionoverride',
                    name='enrollment',
                ),
                migrations.DeleteModel(
                    name='AuditEntry',
                ),
                migrations.DeleteModel(
                    name='Certificate',
                ),
                migrations.DeleteModel(
                    name='CertificateJob',
                ),
                migrations.DeleteModel(
                    name='CompletionOverride',
                ),
    
        ]),
    ]
