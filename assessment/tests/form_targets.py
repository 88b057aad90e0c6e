"""Where core/tests/test_form_errors.py posts the assessment's forms, and with which valid values
(kept here so that module stays under 500 lines)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import rules as assessment_rules


def assessment_targets(Target) -> dict:  # noqa: N803 - the test module's dataclass
    return {
        "assessment-plan": lambda w: Target(
            reverse("assessment:plan", args=[w["code"]]),
            "organizer",
            {
                "pass_mark": "60",
                "essay_due_at": "",
                **{f"weight_{k}": str(v) for k, v in assessment_rules.DEFAULT_WEIGHTS.items()},
                **{f"pass_{k}": "" for k in assessment_rules.KINDS},
            },
        ),
        "assessment-scores": lambda w: Target(
            reverse("assessment:scores", args=[w["code"]]) + "?item=test", "advisor", {"s_001": "80"}
        ),
        "assessment-import": lambda w: Target(
            reverse("assessment:scores-import", args=[w["code"]]),
            "advisor",
            {"file": SimpleUploadedFile("成绩.csv", "学号,成绩\n001,80\n".encode())},
        ),
        "essay-grade": lambda w: Target(
            reverse("assessment:essay", args=[w["code"], w["essay"].pk]), "advisor", {"score": "85", "comment": "好"}
        ),
        "discussion": lambda w: Target(
            reverse("assessment:discussions", args=[w["code"]]),
            "advisor",
            {
                "group": w["enrollment"].group,
                "topic": "如何做好职工维权",
                "recorder": w["enrollment"].pk,
                "held_at": "2026-11-21T14:30",
                "summary": "大家结合本单位实际谈了体会。",
            },
        ),
        "my-essay": lambda w: Target(
            reverse("assessment:my-essay", args=[w["code"]]), "trainee", {"title": "学习体会", "body": "收获很大"}
        ),
    }
