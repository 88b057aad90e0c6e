"""Staff accounts (工作人员), written by their organization's organizers: add with a first password
shown once, turn off or on, give a new first password. Never deleted."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from core.errors import DomainError

from .models import Membership, Organization

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
