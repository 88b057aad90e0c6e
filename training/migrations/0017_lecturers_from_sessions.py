"""The free-text 授课人 of existing sessions become the organizations' 师资库.

Each distinct text naming one person (“县人民法院四级高级法官 孙立新”, “王建国 教授”, “陈静”) makes
one lecturer of the course's organization, linked to its sessions; the session keeps its text as
its printed label. The name is the last space-separated token that looks like a Chinese name (2–4
characters, or minority names joined by “·”), else the first (“王建国 教授”); the rest is split
into unit and title at the last word that ends a unit name (…总工会 / 党组书记). Texts naming no
one (“各小组组长”) or several people are left as they are. One person written two ways (same name
and unit, another title) is one lecturer with the newest title.

The heuristic is copied here (after documents.rules.lecturer_label) so that later changes to the
app cannot change what this migration did.
"""

import re

from django.db import migrations

_TITLE_ENDINGS = (
    "教授",
    "讲师",
    "老师",
    "主席",
    "书记",
    "主任",
    "局长",
    "部长",
    "处长",
    "科长",
    "院长",
    "校长",
    "会长",
    "组长",
    "委员",
    "经理",
    "干事",
    "律师",
    "研究员",
    "专家",
    "同志",
)
_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]+(?:·[\u3400-\u9fff]+)+")
# The end of a unit's name, where the title begins: 县总工会 | 党组书记, 县委党校 | 副校长,
# 县人民法院 | 四级高级法官. Not when the next character makes it a title (院长, 部长, 院士).
_UNIT_ENDS = (
    r"(?:委员会|联合会|工会|党校|学校|大学|学院|法院|检察院|医院|政府|公司|中心|集团"
    r"|局|厅|委|办|部|处|科|所|院|校|会|社|站|队|馆|室)"
)
_UNIT = re.compile(rf"^(.*{_UNIT_ENDS})(?![长士])(.+)$")
_ONLY_UNIT = re.compile(rf"^.+{_UNIT_ENDS}$")


def _is_name(token):
    return bool(_NAME.fullmatch(token)) and len(token) <= 15 and not token.endswith(_TITLE_ENDINGS)


# A text of one short word becomes a lecturer only when it cannot be a placeholder, a role or a
# unit: "待定", "全体学员", "县委党校", "教务处", "小组讨论", "县长" stay free text. Cautious on
# purpose: a name left out is picked by hand later; a placeholder let in would sit in the pool.
_NOT_A_NAME_ENDS = tuple("长员表论定处部办科室局会校院所站队组班体家师委厅")


def _is_lone_name(token):
    if "·" in token:
        return _is_name(token)
    return _is_name(token) and len(token) <= 3 and not token.endswith(_NOT_A_NAME_ENDS) and token != "待定"


def split_lecturer(text):
    """(name, title, unit) of a free-text 授课人, or None when it names no single person."""
    parts = text.split()
    if not parts:
        return None
    if len(parts) == 1:  # a name alone, or a placeholder or unit that merely looks like one
        return (parts[0], "", "") if _is_lone_name(parts[0]) else None
    if any(all(_is_name(piece) for piece in part.split("、")) for part in parts if "、" in part):
        return None  # several people: “王建国、李明”
    if _is_name(parts[-1]):
        name, rest = parts[-1], " ".join(parts[:-1])
    elif _is_name(parts[0]) and parts[-1].endswith(_TITLE_ENDINGS + ("法官", "博士", "教师")):
        name, rest = parts[0], " ".join(parts[1:])  # “王建国 教授”
    else:
        return None
    if all(_is_name(p) and len(p) <= 3 for p in rest.split()):
        return None  # several people: “王建国 李明” (a unit such as 县委党校 has four characters or more)
    rest = rest.replace(" ", "")
    match = _UNIT.match(rest)
    if _ONLY_UNIT.match(rest):
        unit, title = rest, ""  # “县委党校 刘文华”
    else:
        unit, title = (match.group(1), match.group(2)) if match else ("", rest)
    return name[:40], title[:60], unit[:60]


def forwards(apps, schema_editor):
    Session = apps.get_model("training", "Session")
    Lecturer = apps.get_model("training", "Lecturer")
    SessionLecturer = apps.get_model("training", "SessionLecturer")
    people = {}  # (organization, name, unit) → lecturer
    links = []
    sessions = Session.objects.exclude(lecturer="").select_related("course").order_by("starts_at", "pk")
    for session in sessions.iterator():
        found = split_lecturer(session.lecturer)
        if found is None:
            continue
        name, title, unit = found
        key = (session.course.organization_id, name, unit)
        lecturer = people.get(key)
        if lecturer is None:
            lecturer, _ = Lecturer.objects.get_or_create(
                organization_id=key[0], name=name, unit=unit, defaults={"title": title}
            )
            people[key] = lecturer
        elif title and lecturer.title != title:  # sessions come oldest first: the newest title stays
            lecturer.title = title
            lecturer.save(update_fields=["title"])
        links.append(SessionLecturer(session=session, lecturer=lecturer, position=0))
    SessionLecturer.objects.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("training", "0016_lecturers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
