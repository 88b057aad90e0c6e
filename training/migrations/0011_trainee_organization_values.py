import secrets

from django.db import migrations

FIELDS = ("name", "gender", "ethnicity", "political_status", "work_unit", "position", "phone", "id_number")


def _fresh_code(phone, taken):
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if (phone, code) not in taken:
            taken.add((phone, code))
            return code


def own_trainees(apps, schema_editor):
    """Each trainee belongs to the organization whose course they were enrolled in first. A person
    two organizations enrolled is split: the other organization gets a copy of the record with a
    new login code (its staff could read the old one, which is the leak this closes), and its
    enrollments move to the copy; certificates, attendance and leave follow the enrollments.
    A trainee on no course goes to the first organization (or one made for them)."""
    Trainee = apps.get_model("training", "Trainee")
    Enrollment = apps.get_model("training", "Enrollment")
    Organization = apps.get_model("training", "Organization")
    taken = set(Trainee.objects.values_list("phone", "access_code"))
    fallback = None
    for trainee in Trainee.objects.order_by("pk"):
        organizations = []
        for organization_id in (
            Enrollment.objects.filter(trainee=trainee).order_by("created_at", "pk").values_list(
                "course__organization_id", flat=True
            )
        ):
            if organization_id not in organizations:
                organizations.append(organization_id)
        if not organizations:
            if fallback is None:
                fallback = Organization.objects.order_by("pk").first() or Organization.objects.create(
                    name="（迁移时建立）未参加培训班的学员"
                )
            organizations = [fallback.pk]
        trainee.organization_id = organizations[0]
        trainee.save(update_fields=["organization"])
        for organization_id in organizations[1:]:
            copy = Trainee.objects.create(
                organization_id=organization_id,
                access_code=_fresh_code(trainee.phone, taken),
                **{name: getattr(trainee, name) for name in FIELDS},
            )
            Enrollment.objects.filter(trainee=trainee, course__organization_id=organization_id).update(trainee=copy)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0010_trainee_organization"),
    ]

    operations = [migrations.RunPython(own_trainees, migrations.RunPython.noop)]
