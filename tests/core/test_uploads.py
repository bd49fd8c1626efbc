"""Uploads are known by their content, stored under a name the server chose, photos as bare pixels;
whatever their names or hidden parts say, they cannot become pages of the app."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiaoguan.core import uploads

SCRIPT = b"<script>fetch('/accounts/').then(r => r.text()).then(t => alert(t))</script>"


def jpeg_with_script(size=(64, 48), orientation=None) -> bytes:
    """A valid JPEG that carries a script in its comment (COM segment) and EXIF with a GPS position."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}  # GPSInfo: where the school is
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", comment=SCRIPT, exif=exif.tobytes())
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["学校", "人数"])
    workbook.active.append(["第一小学", 300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_jpeg_with_a_script_in_its_comment_is_stored_as_bare_pixels_under_a_server_name():
    original = jpeg_with_script()
    assert SCRIPT in original and b"Exif" in original
    accepted = uploads.accept(upload("x.html", original), (uploads.PHOTO,))
    assert accepted.content_type == "image/jpeg" and accepted.content[:3] == b"\xff\xd8\xff"
    assert SCRIPT not in accepted.content and b"<script" not in accepted.content
    assert b"\xff\xfe" not in accepted.content.split(b"\xff\xda")[0]  # no COM segment before the scan
    assert b"Exif" not in accepted.content  # nor EXIF, with its GPS position
    assert accepted.name.endswith(".jpg") and "x" not in accepted.name.removesuffix(".jpg").strip("0123456789abcdef")
    assert len(accepted.name) == 32 + 4 and accepted.original_name == "x.html"
    with Image.open(io.BytesIO(accepted.content)) as again:
        assert again.format == "JPEG" and again.size == (64, 48) and "comment" not in again.info


def test_the_orientation_is_applied_before_exif_goes():
    accepted = uploads.accept(upload("竖拍.jpg", jpeg_with_script(size=(64, 48), orientation=6)), (uploads.PHOTO,))
    with Image.open(io.BytesIO(accepted.content)) as again:
        assert again.size == (48, 64) and not again.getexif()


@pytest.mark.parametrize(("kind", "content_type", "extension"), [
    ("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")])
def test_png_and_webp_stay_what_they_are_without_their_hidden_parts(kind, content_type, extension):
    from PIL import PngImagePlugin

    buffer = io.BytesIO()
    image = Image.new("RGBA", (20, 10), (0, 128, 0, 128))
    if kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", SCRIPT.decode())
        image.save(buffer, kind, pnginfo=text)
    else:
        image.save(buffer, kind, xmp=SCRIPT)
    assert SCRIPT in buffer.getvalue()
    accepted = uploads.accept(upload("a.svg", buffer.getvalue()), (uploads.PHOTO,))
    assert (accepted.content_type, accepted.name[-len(extension):]) == (content_type, extension)
    assert SCRIPT not in accepted.content
    with Image.open(io.BytesIO(accepted.content)) as again:
        assert again.format == kind and again.mode == "RGBA"


def test_a_pdf_named_html_is_a_pdf_stored_and_downloaded_as_one():
    accepted = uploads.accept(upload("proof.html", b"%PDF-1.4\n" + SCRIPT), (uploads.PHOTO, uploads.PDF))
    assert accepted.content_type == "application/pdf" and accepted.name.endswith(".pdf")
    assert "proof" not in accepted.name and accepted.original_name == "proof.html"
    assert uploads.download_name("proof.html", accepted.content_type) == "proof.pdf"
    assert uploads.download_name("照片.JPEG", "image/jpeg") == "照片.JPEG"
    assert uploads.download_name("../../etc/整改\n报告.pdf", "application/pdf") == "整改报告.pdf"


def test_office_files_are_known_by_their_content_not_their_names():
    from docx import Document

    accepted = uploads.accept(upload("统计表.pdf", xlsx_bytes()), (uploads.OFFICE,))
    assert accepted.content_type == uploads.XLSX and accepted.name.endswith(".xlsx")
    buffer = io.BytesIO()
    Document().save(buffer)
    assert uploads.accept(upload("说明.xlsx", buffer.getvalue()), (uploads.OFFICE,)).content_type == uploads.DOCX
    ole = uploads.OLE_SIGNATURE + b"\x00" * 100 + "WordDocument".encode("utf-16-le")
    assert uploads.accept(upload("旧.doc", ole), (uploads.OFFICE,)).content_type == "application/msword"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("index.html", SCRIPT)
    with pytest.raises(ValidationError, match="只接受Excel 或 Word 文件"):
        uploads.accept(upload("表.xlsx", plain_zip.getvalue()), (uploads.OFFICE,))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("假照片.jpg", b"MZ\x90\x00 this is a program, not a photo", "“假照片.jpg”：只接受JPEG、PNG、WebP 照片。"),
    ("假照片.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "“假照片.jpg”：只接受JPEG、PNG、WebP 照片。"),
    ("空.png", b"", "“空.png”：文件为空。"),
])
def test_what_is_not_a_photo_is_refused_in_chinese(name, content, message):
    with pytest.raises(ValidationError) as refused:
        uploads.accept(upload(name, content), (uploads.PHOTO,))
    assert refused.value.messages == [message]


def test_photos_too_large_in_bytes_or_pixels_are_refused(settings, monkeypatch):
    settings.PHOTO_MAX_MB = 1
    with pytest.raises(ValidationError, match="超过 1 MB"):
        uploads.accept(upload("大.jpg", b"\xff\xd8\xff" + b"\x00" * (1024 * 1024)), (uploads.PHOTO,))
    monkeypatch.setattr(uploads, "PHOTO_MAX_PIXELS", 2_000_000)
    buffer = io.BytesIO()
    Image.new("L", (2000, 1001)).save(buffer, "PNG")
    with pytest.raises(ValidationError, match="照片超过 2,000,000 像素"):
        uploads.accept(upload("大.png", buffer.getvalue()), (uploads.PHOTO,))
