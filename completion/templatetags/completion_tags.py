"""结业证书 on the trainee's own pages (templates/attendance/me.html and my_attendance.html): a
tag, so that attendance, which sits below completion, shows the certificate without importing it."""

from django import template

from completion import selectors

register = template.Library()


@register.inclusion_tag("completion/_my_certificates.html")
def my_certificates(enrollment):
    """The download button for each valid certificate with a PDF of this enrollment; nothing when
    there is none."""
    return {"certificates": selectors.certificates_to_download(enrollment)}
