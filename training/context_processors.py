from . import access, accounts


def roles(request):
    """What the navigation bar needs to know about the visitor."""
    user = getattr(request, "user", None)
    staff = bool(user and access.is_staff_member(user))
    session = getattr(request, "session", None)
    return {"is_staff_member": staff, "large_text": bool(not staff and session and session.get(accounts.LARGE_TEXT))}
