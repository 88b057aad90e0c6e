"""What the browser tests of every app share: the phone they hold and how staff log in."""

from training.tests.factories import PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def staff_login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Logs `username` in on the staff login page, as a person types it."""
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
