"""Uploaded files, from the request to the answer that serves them again. `accept` checks an upload
(not empty, at most PHOTO_MAX_MB, really one of the kinds allowed, known by its content whatever its
name says) and returns what to store: photos re-encoded to bare pixels, the verified content type, a
name the server chose and the uploaded name as display text only. `serve` answers with a stored file
so that a browser can never run it as a page of the app. Every app that keeps uploads uses both."""

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PHOTO, PDF, OFFICE = "photo", "pdf", "office"
LABELS = {PHOTO: gettext_lazy("JPEG, PNG or WebP photos"), PDF: gettext_lazy("PDF files"),
          OFFICE: gettext_lazy("Excel or Word files")}

JPEG, PNG, WEBP = "image/jpeg", "image/png", "image/webp"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS, DOC = "application/vnd.ms-excel", "application/msword"
PDF_TYPE = "application/pdf"
# The extension of a stored file follows from its verified type, never from the uploaded name.
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF_TYPE: ".pdf", XLSX: ".xlsx", DOCX: ".docx",
              XLS: ".xls", DOC: ".doc"}
SAME_EXTENSIONS = {".jpg": (".jpg", ".jpeg", ".jpe", ".jfif")}
# Only these may be shown in the browser; they were re-encoded by Pillow, so they hold pixels only.
INLINE_TYPES = frozenset({JPEG, PNG, WEBP})
UNKNOWN_TYPE = "application/octet-stream"
# Nothing a served file contains may run, load or style anything, even opened as a page of our origin.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'none'"
# Pillow's formats we take, and what each is stored as (MPO is a camera's JPEG with extra frames).
PHOTO_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP}
PHOTO_MAX_PIXELS = 60_000_000  # a 60-megapixel photo decodes to 240 MB; larger ones are refused
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE compound file's directory (UTF-16): Word's document, Excel's workbook (Word's
# first: its text, also UTF-16, may say "Book").
OLE_STREAMS = {DOC: ("WordDocument".encode("utf-16-le"),),
               XLS: ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Accepted:
    """An upload that passed the checks: exactly what to store, and how to serve it later."""

    content: bytes  # what is written to storage (a photo's re-encoded pixels, other files as they came)
    content_type: str  # verified from the content, one of EXTENSIONS
    name: str  # chosen by the server: random, with the extension of the verified type
    original_name: str  # the uploaded name, for display and as the download's name only

    def file(self) -> ContentFile:
        """The content as a file to assign to a FileField (committed to storage when the model saves)."""
        return ContentFile(self.content, name=self.name)


class Refused(Exception):
    """Why an upload cannot be taken, in words for the user."""


def display_name(name: str) -> str:
    """The uploaded name as harmless text: its last part, without control characters, at most 200."""
    text = CONTROL.sub("", PurePath(str(name or "").replace("\\", "/")).name).strip()
    return text[:200] or "file"


def download_name(name: str, content_type: str) -> str:
    """The name a download is saved under: the uploaded one, its extension made that of the verified
    type (proof.html that is a PDF downloads as proof.pdf, so it never opens as a page from disk)."""
    name = display_name(name)
    extension = EXTENSIONS.get(content_type)
    path = PurePath(name)
    if extension is None or path.suffix.lower() in SAME_EXTENSIONS.get(extension, (extension,)):
        return name
    return (path.stem or "file") + extension


def _read(upload) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _photo(content: bytes) -> tuple[bytes, str] | None:
    """Re-encode a photo so that only its pixels remain: no EXIF (its orientation is applied first, and
    a GPS position goes with it), no comment, ICC profile, XMP or further frame, whatever they hid.
    None when the content is not a photo of the formats we take."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    broken = (UnidentifiedImageError, OSError, SyntaxError, ValueError)
    too_large = Refused(_("the photo has more than %(limit)s pixels.") % {"limit": f"{PHOTO_MAX_PIXELS:,}"})
    try:
        with Image.open(io.BytesIO(content)) as probe:  # reads the header only
            kind, pixels = PHOTO_FORMATS.get(probe.format), probe.width * probe.height
            probe.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except broken:
        return None
    if kind is None:
        return None
    if pixels > PHOTO_MAX_PIXELS:
        raise too_large
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            return _encode(ImageOps.exif_transpose(image), kind), kind
    except broken:
        return None


def _encode(image, kind: str) -> bytes:
    if kind == JPEG:
        clean = image.convert("L" if image.mode in ("1", "L") else "RGB")
    else:
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        clean = image.convert("RGBA" if alpha else "RGB")
    clean.info = {}  # Pillow writes a source's comment (JPEG) or ICC profile (PNG) back unless it is gone
    out = io.BytesIO()
    if kind == JPEG:
        clean.save(out, "JPEG", quality=90, optimize=True)
    elif kind == PNG:
        clean.save(out, "PNG")
    else:
        clean.save(out, "WEBP", quality=90)
    return out.getvalue()


def _office(content: bytes) -> str | None:
    """Excel or Word, new (a zip with the part each program starts from) or old (an OLE compound file
    with the stream each program reads); None for anything else."""
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
        return None
    if content.startswith(OLE_SIGNATURE):
        for content_type, streams in OLE_STREAMS.items():
            if any(stream in content for stream in streams):
                return content_type
    return None


def _verify(upload, kinds: tuple[str, ...]) -> tuple[bytes, str]:
    if upload.size > settings.PHOTO_MAX_MB * 1024 * 1024:  # before it is read into memory
        raise Refused(_("the file is larger than %(limit)s MB.") % {"limit": settings.PHOTO_MAX_MB})
    content = _read(upload)
    if not content:
        raise Refused(_("the file is empty."))
    if PDF in kinds and content.startswith(b"%PDF-"):
        return content, PDF_TYPE
    if OFFICE in kinds and (office := _office(content)):
        return content, office
    if PHOTO in kinds and (photo := _photo(content)):
        return photo
    raise Refused(_("only %(allowed)s are accepted.") % {"allowed": "、".join(str(LABELS[k]) for k in kinds)})


def accept(upload, kinds: tuple[str, ...]) -> Accepted:
    """Check an upload and return what to store, or raise ValidationError naming the file and the reason.
    `kinds` are among PHOTO, PDF and OFFICE."""
    original = display_name(upload.name)
    try:
        content, content_type = _verify(upload, kinds)
    except Refused as refused:
        raise ValidationError(_("“%(name)s”: %(problem)s") % {"name": original, "problem": refused},
                              code="upload") from None
    return Accepted(content=content, content_type=content_type, name=uuid.uuid4().hex + EXTENSIONS[content_type],
                    original_name=original)


def serve(stored, *, content_type: str, name: str) -> FileResponse:
    """Answer with a stored upload (a FieldFile): its verified content type (unknown for files kept before
    types were verified), never sniffed, as a download named after `name` (RFC 5987, so Chinese names
    work; see download_name), except verified photos, which may show inline; a sandbox forbids anything
    in it to run. The caller has already checked that the user may see it. 404 when the file is missing."""
    if not stored:
        raise Http404
    verified = content_type if content_type in EXTENSIONS else UNKNOWN_TYPE
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=verified, as_attachment=verified not in INLINE_TYPES,
                            filename=download_name(name, verified))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response
