"""The demo: a county federation running a three-day course at the county Party school.

`load()` builds it through the same services the pages use and changes nothing when the demo is
already there. `people()` makes realistic, deterministic trainees; the tests and the roster
benchmark use it too.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import lecturers, roster, rules, services
from .models import Course, Lecturer, Membership, Organization, Session

User = get_user_model()

ORGANIZATION = "青山县总工会"
COURSE_CODE = "QS2026-01"
PASSWORD = "peixun2026"
STAFF = (
    # username, name, role, superuser
    ("admin", "系统管理员", None, True),
    ("organizer", "李晓燕", Membership.Role.ORGANIZER, False),
    ("advisor", "王海涛", Membership.Role.ADVISOR, False),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲燕丹飞鑫波斌宇浩凯健俊帆帅旭宁欣颖婷琳晶晨阳雪梅红建国海峰志刚春林立新文娟晓东红霞亚楠"
MINORITY = (
    ("阿依古丽·买买提", "维吾尔族", "F"),
    ("马小兰", "回族", "F"),
    ("金哲", "朝鲜族", "M"),
    ("巴特尔", "蒙古族", "M"),
    ("韦秀英", "壮族", "F"),
)
UNITS = (
    "城关镇总工会",
    "青山经济开发区工会联合会",
    "县人民医院工会",
    "县教育局工会",
    "县第一中学工会",
    "国网青山县供电公司工会",
    "县交通运输局工会",
    "县市场监督管理局工会",
    "县农业农村局工会",
    "青山水泥股份有限公司工会",
    "县自来水公司工会",
    "县中医院工会",
    "东岭乡工会",
    "石桥镇总工会",
    "县住房和城乡建设局工会",
    "县邮政分公司工会",
    "青山纺织有限公司工会",
    "县人力资源和社会保障局工会",
    "县财政局工会",
    "县公路管理段工会",
    "县实验小学工会",
    "青山食品有限公司工会",
    "县文化和旅游局工会",
    "县妇幼保健院工会",
    "南湖街道总工会",
    "县供销合作社工会",
    "县粮食储备库工会",
    "县林业局工会",
)
POSITIONS = (
    "工会主席",
    "工会主席",
    "工会副主席",
    "工会副主席",
    "工会专干",
    "工会委员",
    "经费审查委员会主任",
    "女职工委员会主任",
    "工会办公室主任",
    "工会干事",
)
POLITICAL = ("中共党员",) * 7 + ("群众", "群众", "共青团员", "中共预备党员")


def _unit_name(unit: str) -> str:
    """“县教育局工会” → “青山县教育局工会”, “城关镇总工会” → “青山县城关镇总工会”."""
    if unit.startswith("青山"):
        return unit
    return ("青山" if unit.startswith("县") else "青山县") + unit


def _id_number(rng: random.Random, gender: str) -> str:
    born = date(1966, 1, 1) + timedelta(days=rng.randrange(365 * 32))
    sequence = rng.randrange(50) * 2 + (1 if gender == "M" else 0)
    body = f"360731{born:%Y%m%d}{rng.randrange(10)}{sequence:02d}"
    return body + rules.id_check_digit(body)


def people(count: int, *, seed: int = 2026, groups: int = 4) -> list[roster.RosterEntry]:
    """`count` realistic trainees with unique phones and valid ID numbers, spread over `groups`."""
    rng = random.Random(seed)
    used_phones, used_names, used_ids = set(), set(), set()
    entries = []
    for index in range(count):
        if index < len(MINORITY) and count >= 20:
            name, ethnicity, gender = MINORITY[index]
        else:
            gender = rng.choice("MF")
            ethnicity = "汉族"
            for _ in range(20):  # a class rarely has two people of one name
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                if name not in used_names:
                    break
        used_names.add(name)
        while True:
            phone = (
                rng.choice(("139", "138", "137", "136", "135", "150", "151", "158", "181", "189"))
                + f"{rng.randrange(10**8):08d}"
            )
            if phone not in used_phones:
                used_phones.add(phone)
                break
        while (id_number := _id_number(rng, gender)) in used_ids:
            pass
        used_ids.add(id_number)
        entries.append(
            roster.RosterEntry(
                row=index + 2,
                name=name,
                phone=phone,
                gender=gender,
                ethnicity=ethnicity,
                political_status=rng.choice(POLITICAL),
                work_unit=_unit_name(rng.choice(UNITS)),
                position=rng.choice(POSITIONS),
                group=f"第{rules.chinese_number(index % groups + 1)}组",
                id_number=id_number,
                given=frozenset(
                    [
                        "name",
                        "phone",
                        "gender",
                        "ethnicity",
                        "political_status",
                        "work_unit",
                        "position",
                        "group",
                        "id_number",
                    ]
                ),
            )
        )
    return entries


@dataclass(frozen=True)
class DemoSession:
    day: int
    start: str
    end: str
    kind: str
    title: str
    lecturer: str = ""
    room: str = "党校一楼报告厅"
    credit_hours: str = "1"
    requires_checkout: bool = False
    required: bool = False  # 结业必修


K = Session.Kind
TIMETABLE = (
    DemoSession(1, "08:30", "09:30", K.OPENING, "开班式暨开班动员讲话", "县总工会党组书记、常务副主席 周国栋"),
    DemoSession(
        1,
        "09:45",
        "11:45",
        K.LECTURE,
        "学习贯彻党的二十大精神，坚定不移走中国特色社会主义工会发展道路",
        "县委党校副校长 刘文华",
        credit_hours="2",
    ),
    DemoSession(
        1,
        "14:30",
        "16:30",
        K.LECTURE,
        "中国工会的历史与新时代基层工会工作",
        "市总工会干部学校讲师 陈静",
        credit_hours="2",
        requires_checkout=True,
    ),
    DemoSession(1, "16:40", "17:40", K.LECTURE, "深化新时代产业工人队伍建设改革", "县总工会副主席 赵明"),
    DemoSession(
        2,
        "08:30",
        "10:30",
        K.LECTURE,
        "《中华人民共和国工会法》解读",
        "县人民法院四级高级法官 孙立新",
        credit_hours="2",
    ),
    DemoSession(2, "10:45", "11:45", K.LECTURE, "工会经费收缴与经费审查实务", "县总工会经审办主任 吴红梅"),
    DemoSession(
        2,
        "14:30",
        "16:30",
        K.SITE_VISIT,
        "青山经济开发区“职工之家”建设现场教学",
        "开发区工会联合会主席 郑伟",
        "青山经济开发区职工服务中心",
        "2",
    ),
    DemoSession(
        2, "16:45", "17:45", K.DISCUSSION, "分组讨论：基层工会如何更好服务职工", "各小组组长", "党校二楼研讨室"
    ),
    DemoSession(2, "19:00", "20:30", K.OTHER, "观看警示教育片", "", credit_hours="0"),
    DemoSession(
        3,
        "08:30",
        "10:00",
        K.LECTURE,
        "劳动争议调解与职工维权实务",
        "县劳动人事争议仲裁院院长 黄建华",
        credit_hours="1.5",
    ),
    DemoSession(
        3,
        "10:15",
        "11:45",
        K.LECTURE,
        "工会社会工作者的职业素养与群众工作方法",
        "县总工会办公室主任 马丽",
        credit_hours="1.5",
    ),
    DemoSession(3, "14:30", "15:30", K.EXAM, "结业测试（闭卷）", required=True),
    DemoSession(
        3, "16:00", "17:00", K.CLOSING, "结业式暨学员学习交流发言", "县总工会党组书记、常务副主席 周国栋", required=True
    ),
)
R = Lecturer.Rank
# The 师资库: (name, title, unit, rank, 元/学时 or None, topics). The federation's own staff are paid no
# lecture fee; 孙立新's rate is above the county's cap for 其他人员, so the fee sheet flags it.
LECTURERS = (
    ("周国栋", "党组书记、常务副主席", "县总工会", R.OTHER, None, "开班动员\n工会工作报告"),
    ("刘文华", "副校长、副教授", "县委党校", R.DEPUTY, "500", "党的创新理论\n中国特色社会主义工会发展道路"),
    ("陈静", "讲师", "市总工会干部学校", R.OTHER, "300", "中国工会历史\n基层工会组织建设"),
    ("赵明", "副主席", "县总工会", R.OTHER, None, "产业工人队伍建设改革"),
    ("孙立新", "四级高级法官", "县人民法院", R.OTHER, "400", "《工会法》《劳动合同法》解读\n劳动争议案例"),
    ("吴红梅", "主任", "县总工会经审办", R.OTHER, None, "工会经费收缴与经费审查"),
    ("郑伟", "主席", "开发区工会联合会", R.OTHER, "200", "职工之家建设现场教学"),
    ("黄建华", "院长", "县劳动人事争议仲裁院", R.OTHER, "300", "劳动争议调解与仲裁"),
    ("马丽", "主任", "县总工会办公室", R.OTHER, None, "工会社会工作者职业素养"),
    ("杨帆", "教授", "省委党校", R.SENIOR, "800", "新时代群众工作方法"),
)
# 讲课费 caps of the county's training-fee rules (元/学时), and tax withheld as 劳务报酬.
FEE_RULES = {
    "fee_cap_expert": Decimal("1500"),
    "fee_cap_senior": Decimal("1000"),
    "fee_cap_deputy": Decimal("500"),
    "fee_cap_other": Decimal("300"),
    "lecture_tax_rule": "labor",
}
DEMO_TRAINEES = 48
FINISHED_TRAINEES = 24


def _at(day: date, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


@dataclass
class DemoBase:
    """What this app's part of the demo made, for the other apps' parts (demo.loader composes them)."""

    course: Course
    organization: Organization
    accounts: dict
    today: date


def existing() -> Course | None:
    """The demo course, if the demo was loaded before."""
    return Course.objects.filter(code=COURSE_CODE).first()


def load_base(*, today: date | None = None) -> DemoBase:
    """The organization, the staff accounts and the running course with its roster. The course runs
    from yesterday to tomorrow of the first load, so today always has sessions."""
    organization, _ = Organization.objects.get_or_create(name=ORGANIZATION, defaults={"short_name": "县总工会"})
    accounts = {}
    for username, name, role, superuser in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=name, is_staff=superuser, is_superuser=superuser)
            user.set_password(PASSWORD)
            user.save()
        if role:
            Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
        accounts[username] = user

    pool = _lecturer_pool(organization)
    today = today or timezone.localdate()
    course = _course(
        pool,
        organization,
        code=COURSE_CODE,
        name="2026年全县基层工会干部培训班",
        start=today - timedelta(days=1),
        status=Course.Status.PUBLISHED,
        advisor=accounts["advisor"],
    )
    result = services.enrollment_import(course=course, parse=roster.RosterParse(entries=people(DEMO_TRAINEES)))
    assert result.committed, result.problems
    return DemoBase(course, organization, accounts, today)


def _lecturer_pool(organization: Organization) -> dict[str, Lecturer]:
    """The organization's 师资库 and fee rules, name → lecturer (those already there are kept)."""
    for name, value in FEE_RULES.items():
        setattr(organization, name, value)
    organization.save(update_fields=list(FEE_RULES))
    pool = {lecturer.name: lecturer for lecturer in organization.lecturers.all()}
    for name, title, unit, rank, rate, topics in LECTURERS:
        if name not in pool:
            pool[name] = lecturers.lecturer_create(
                organization=organization,
                name=name,
                title=title,
                unit=unit,
                rank=rank,
                fee_rate=Decimal(rate) if rate else None,
                topics=topics,
            )
    return pool


def _course(
    pool, organization, *, code: str, name: str, start: date, status: str, advisor, **course_settings
) -> Course:
    """A three-day course at the Party school with the demo timetable, its lecturers from `pool`."""
    course = services.course_create(
        organization=organization,
        code=code,
        name=name,
        venue="中共青山县委党校",
        start_date=start,
        end_date=start + timedelta(days=2),
        description="学习贯彻党的二十大精神和《工会法》，提升基层工会干部履职能力。学员须全程参训，不得缺席或迟到早退。",
        status=status,
        advisors=[advisor],
        **course_settings,
    )
    for item in TIMETABLE:
        day = start + timedelta(days=item.day - 1)
        services.session_create(
            course=course,
            kind=item.kind,
            title=item.title,
            lecturer=item.lecturer,
            room=item.room,
            starts_at=_at(day, item.start),
            ends_at=_at(day, item.end),
            credit_hours=Decimal(item.credit_hours),
            requires_checkout=item.requires_checkout,
            required_for_completion=item.required,
            lecturers=[pool[n] for n in item.lecturer.split()[-1:] if n in pool],
        )
    return course


def finished_course(base: DemoBase) -> Course:
    """Last spring's course with its roster; its history and certificates come from the other apps."""
    spring = date(base.today.year if base.today.month > 5 else base.today.year - 1, 4, 14)
    course = _course(
        _lecturer_pool(base.organization),
        base.organization,
        code=f"QS{spring.year}-00",
        name=f"{spring.year}年春季全县工会财务与经审干部培训班",
        start=spring,
        status=Course.Status.PUBLISHED,
        advisor=base.accounts["advisor"],
        max_discipline_points=3,
    )
    result = services.enrollment_import(
        course=course, parse=roster.RosterParse(entries=people(FINISHED_TRAINEES, seed=2025, groups=3))
    )
    assert result.committed, result.problems
    return course


def at(day: date, clock: str) -> datetime:
    return _at(day, clock)
