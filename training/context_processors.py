from . import access


def roles(request):
    """What the navigation bar needs to know about the visitor."""
    user = getattr(request, "user", None)
    return {"is_staff_member": bool(user and access.is_staff_member(user))}
