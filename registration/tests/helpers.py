"""Units and quotas made through the services, for the tests of 报名."""

from registration import services
from registration.models import Unit


def unit(organization, name="县医院工会", **fields) -> Unit:
    return services.unit_create(
        organization=organization, name=name, **{"contact": "刘芳", "phone": "0731-5551234", **fields}
    )


def quota(course, unit_, places=2, extra=0, deadline=None):
    services.quotas_set(course=course, places={unit_.pk: (places, extra)}, deadline=deadline)
    return unit_.quotas.get(course=course)


def person(name="赵春梅", phone="13800138000", **extra) -> dict:
    return {
        "name": name,
        "gender": "F",
        "ethnicity": "汉",
        "political_status": "中共党员",
        "position": "工会主席",
        "phone": phone,
        "id_number": "",
        "diet": "none",
        "diet_note": "",
        "needs_room": True,
        **extra,
    }


def form_data(name="赵春梅", phone="13800138000", **extra) -> dict:
    """What the phone form posts."""
    data = {**person(name, phone), "needs_room": "1"}
    data.update(extra)
    return data


def sample_registration(course):
    """A unit with a quota on `course` and one pending nominee: for the tests that walk every URL."""
    q = quota(course, unit(course.organization, "县医院工会"), places=2)
    return q, services.nominee_add(quota=q, values=person("赵春梅", "13800138000"))
