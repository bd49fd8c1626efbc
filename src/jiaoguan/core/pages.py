"""Helpers every app's views share: a service's errors onto a form, a day from a query string, an audited
Excel download."""

import io
import re

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.dateparse import parse_date

from jiaoguan.core import audit
from jiaoguan.core.models import AuditAction
from jiaoguan.core.spreadsheets import write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "json": "application/json"}  # a list's formats


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def parse_day(text):
    """A day typed or sent as 2026-11-24; anything else (2026-13-01 too) is no day."""
    try:
        return parse_date((text or "").strip())
    except ValueError:
        return None


def xlsx_response(request, sheets, filename: str, obj=None) -> FileResponse:
    """Sheets of (name, headers, rows) as an Excel download; every export is an audit entry."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    filename = re.sub(r'[\\/:*?"<>|\s]+', "-", filename)  # a name every system can save (names are Chinese)
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=obj, detail=filename)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
