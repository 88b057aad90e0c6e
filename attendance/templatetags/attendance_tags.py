from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A rate from attendance.rules.rate as 98.4%, or — when nothing was expected yet."""
    return "—" if value is None else f"{value}%"
