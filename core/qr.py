"""Every QR code the system shows or prints is made here: a standard QR code (never Micro QR,
which WeChat, phone cameras and most USB scanners do not read), error correction M or higher, a
quiet zone of four modules. The SVG carries no size: the page or PDF sizes it (at least 20 mm on
paper)."""

import segno

QUIET_ZONE = 4  # modules, as ISO/IEC 18004 asks; scanners miss codes printed closer to other ink


def qr_svg(data: str) -> str:
    """An inline SVG of `data` as a standard QR code."""
    code = segno.make_qr(data, error="m")
    return code.svg_inline(border=QUIET_ZONE, dark="#000", light="#fff", omitsize=True)
