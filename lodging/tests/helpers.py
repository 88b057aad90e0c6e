"""Trainees and rooms for the lodging tests, made through the factories and the services."""

from lodging import services
from training.tests.factories import EnrollmentFactory, TraineeFactory


def trainees(course, count: int, *, start: int = 10, gender: str = "M", unit: str = "县供电公司工会") -> list:
    return [
        EnrollmentFactory(
            course=course,
            trainee=TraineeFactory(
                name=f"学员{n}", phone=f"139{n:08d}", access_code=f"{n:06d}", gender=gender, work_unit=unit
            ),
            student_no=f"{n:03d}",
        )
        for n in range(start, start + count)
    ]


def rooms(course, text: str = "1号楼 2层 201-205 双人间"):
    return services.rooms_add(organization=course.organization, lines=text)
