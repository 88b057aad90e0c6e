"""The organization's own settings and staff accounts (工作人员), written by its organizers: the
name and the seal printed on certificates; accounts added with a first password shown once, turned
off or on, given a new first password. Never deleted."""

import io
import secrets
import warnings

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from core.errors import DomainError, validate_instance

from .models import Membership, Organization, Trainee

User = get_user_model()


def initial_password() -> str:
    """A first password to hand over once: twelve letters and digits, without look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@transaction.atomic
def staff_add(*, organization: Organization, username: str, name: str, role: str, by=None) -> tuple[Membership, str]:
    """Adds an organizer or 班主任 to the organization with a new account and a first password,
    returned once to be handed over (never stored in the clear, never shown again)."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", f"用户名 {username} 已被使用，请换一个", "username")
    if username.startswith("trainee-"):
        raise DomainError("username_reserved", "以 trainee- 开头的用户名留给学员账户，请换一个", "username")
    password = initial_password()
    user = User.objects.create_user(username=username, first_name=name.strip(), password=password)
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    return membership, password


@transaction.atomic
def staff_set_active(*, membership: Membership, active: bool, by) -> Membership:
    """Turns a staff account off (it can no longer log in; its history stays) or on again. Never
    deletes. Refuses to turn off one's own account, or an account that also works for another
    organization (only a system administrator may)."""
    user = membership.user
    if not active and user.pk == getattr(by, "pk", None):
        raise DomainError("self", "不能停用自己的账户")
    if not active and user.memberships.exclude(organization_id=membership.organization_id).exists():
        raise DomainError("shared", "这个账户还在其他单位任职，请联系系统管理员停用")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def staff_password_reset(*, membership: Membership, by) -> str:
    """A new first password for a staff account (returned once); its open sessions end."""
    user = membership.user
    if user.memberships.exclude(organization_id=membership.organization_id).exists() or user.is_superuser:
        raise DomainError("shared", "这个账户还在其他单位任职或是系统管理员，请联系系统管理员重置密码")
    password = initial_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


FEE_FIELDS = ("fee_cap_expert", "fee_cap_senior", "fee_cap_deputy", "fee_cap_other", "lecture_tax_rule")
SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_MAX_SIDE = 2000  # pixels; a seal prints 40 mm wide, 2000 px is far more than enough


def seal_problem(content: bytes) -> str | None:
    """What is wrong with an uploaded seal image, or None: a PNG (transparent background) of at
    most 2 MB and 2000 × 2000 pixels. The size is read from the header before any pixel is
    decoded, so a small file claiming a huge image costs nothing."""
    if len(content) > SEAL_MAX_BYTES:
        return "印章图片不能超过 2 MB"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format != "PNG":
                return "印章图片须为 PNG 格式（透明背景），请另存为 PNG 后上传"
            if max(image.size) > SEAL_MAX_SIDE:
                return f"印章图片过大（{image.size[0]} × {image.size[1]} 像素），请缩小到 {SEAL_MAX_SIDE} 像素以内"
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "无法读取这个图片文件，请上传 PNG 格式的印章图片"
    return None


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    name: str,
    short_name: str,
    seal: bytes | None = None,
    remove_seal=False,
    fees: dict | None = None,
    by=None,
) -> Organization:
    """Changes the organization's name and short name, its seal (a new PNG, or none) and, with
    `fees`, its 讲课费 caps per rank and the tax rule of the 讲课费签收单 (FEE_FIELDS)."""
    name = name.strip()
    if Organization.objects.exclude(pk=organization.pk).filter(name=name).exists():
        raise DomainError("name_taken", "已有同名的单位", "name")
    if seal is not None and (problem := seal_problem(seal)):
        raise DomainError("seal", problem, "seal")
    organization.name, organization.short_name = name, short_name.strip()
    if remove_seal:
        organization.seal = ""
    if seal is not None:
        organization.seal.save(f"seal-{organization.pk}.png", ContentFile(seal), save=False)
    for field_name, value in (fees or {}).items():
        assert field_name in FEE_FIELDS, field_name
        setattr(organization, field_name, value)
    validate_instance(organization, exclude=["name", "seal"])
    organization.save()
    return organization


LARGE_TEXT = "large_text"  # the session's copy of Trainee.large_text, read by every page's template


def trainee_large_text_set(*, trainee: Trainee, on: bool) -> Trainee:
    """大字版 on or off for the trainee: kept on the record, so it holds on every phone they log in on."""
    trainee.large_text = on
    trainee.save(update_fields=["large_text", "updated_at"])
    return trainee
