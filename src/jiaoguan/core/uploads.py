"""Checking an uploaded file before anything is kept: not empty, not larger than PHOTO_MAX_MB, and
really one of the kinds allowed (photos are opened by Pillow; PDF, Excel and Word files are known by
their first bytes, whatever their names say)."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PHOTO, PDF, OFFICE = "photo", "pdf", "office"
LABELS = {PHOTO: gettext_lazy("JPEG, PNG or WebP photos"), PDF: gettext_lazy("PDF files"),
          OFFICE: gettext_lazy("Excel or Word files")}
OFFICE_SIGNATURES = {".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0",
                     ".doc": b"\xd0\xcf\x11\xe0"}


def _photo(upload) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)
    return kind in ("JPEG", "PNG", "WEBP")


def problem(upload, kinds: tuple[str, ...]) -> str | None:
    """Why the file cannot be taken, in words for the user; None when it can."""
    if upload.size == 0:
        return _("the file is empty.")
    if upload.size > settings.PHOTO_MAX_MB * 1024 * 1024:
        return _("the file is larger than %(limit)s MB.") % {"limit": settings.PHOTO_MAX_MB}
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    suffix = PurePath(upload.name).suffix.lower()
    if PDF in kinds and head.startswith(b"%PDF-"):
        return None
    if OFFICE in kinds and suffix in OFFICE_SIGNATURES and head.startswith(OFFICE_SIGNATURES[suffix]):
        return None
    if PHOTO in kinds and _photo(upload):
        return None
    return _("only %(allowed)s are accepted.") % {"allowed": "、".join(str(LABELS[k]) for k in kinds)}


def check(upload, kinds: tuple[str, ...]) -> None:
    """Refuse the file with its name and the reason."""
    reason = problem(upload, kinds)
    if reason:
        raise ValidationError(_("“%(name)s”: %(problem)s") % {"name": upload.name, "problem": reason})
