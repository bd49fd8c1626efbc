"""No page, export or audit entry a role may see lets it rebuild a person's ID number (issue 10,
items 3 and 4): each role's every page and download is read as an attacker would, and the masked
numbers in it are filled in from the birth dates shown beside them."""

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from jiaoguan.core.idnumbers import check_char
from tests.matrix import ROLES, environment, pages

ID_LIKE = re.compile(r"(?<![0-9X*])[0-9X*]{18}(?![0-9X*])")
DATES = re.compile(r"(\d{4})[-/年.]?(\d{1,2})[-/月.]?(\d{1,2})")
EXPORTS = [f"/registry/export/{kind}.{fmt}" for kind in ("schools", "classes", "staff", "students", "assignments")
           for fmt in ("xlsx", "csv", "json")]


def as_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(" ".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if "csv" in kind:
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if "json" in kind:
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode("utf-8", errors="replace")


def candidates(masked: str, text: str) -> set[str]:
    """Every full number consistent with `masked` whose hidden birth date is a date shown in `text`,
    the other hidden digits guessed (up to 2 digits: beyond that the number is not rebuilt)."""
    dates = {f"{int(y):04d}{int(m):02d}{int(d):02d}" for y, m, d in DATES.findall(text)
             if 1 <= int(m) <= 12 and 1 <= int(d) <= 31}
    found = set()
    for date in dates | {None}:
        digits = list(masked[:17])
        if date:
            if any(digits[i] not in ("*", c) for i, c in enumerate(date, start=6)):
                continue
            digits[6:14] = date
        hidden = [i for i, c in enumerate(digits) if c == "*"]
        if len(hidden) > 2:
            continue
        for guess in range(10 ** len(hidden)):
            trial = digits[:]
            for i, d in zip(hidden, f"{guess:0{len(hidden)}d}"[-len(hidden):] if hidden else "", strict=True):
                trial[i] = d
            first17 = "".join(trial)
            if masked[17] in ("*", check_char(first17)):
                found.add(first17 + check_char(first17))
    return found


def rebuilt(text: str, people: list[str]) -> list[str]:
    """The people whose number the text gives away, whole or within ten guesses."""
    shown = ID_LIKE.findall(text)
    lost = []
    for number in people:
        for piece in shown:
            if piece == number:
                lost.append(number)
            elif "*" in piece and all(a in ("*", b) for a, b in zip(piece, number, strict=True)):
                options = candidates(piece, text)
                if number in options and len(options) <= 10:
                    lost.append(number)
    return lost


def test_the_rebuild_attack_works_on_the_old_mask():
    """The check of the check: the mask that hid only the birth date falls to a birth date beside it."""
    number = "990102201503020012"
    number = number[:17] + check_char(number[:17])
    old_mask = number[:6] + "********" + number[-4:]
    assert rebuilt(f"{old_mask} 出生日期 2015-03-02", [number]) == [number]
    assert rebuilt(f"{number[:6]}{'*' * 12} 出生日期 2015-03-02", [number]) == []


@pytest.fixture
def activity(cast, client, tmp_path):
    """The cast's people edited, imported and revealed, so the audit log has entries about them."""
    from jiaoguan.core.access import SystemActor
    from jiaoguan.core.imports import run_import
    from jiaoguan.registry.imports import IMPORTERS
    from tests.files import STUDENT_HEADERS, student_row, write_xlsx

    client.force_login(cast.users.school_admin)
    client.post(f"/registry/personal/student/{cast.student_a.pk}/")
    row = student_row(77, name="钱多多")
    row[11] = "是"
    run_import(IMPORTERS["students"](cast.users.school_admin), write_xlsx(tmp_path / "s.xlsx", STUDENT_HEADERS, [row]))
    from jiaoguan.registry import services
    from jiaoguan.registry.models import Student

    student = Student.objects.get(pk=cast.student_a.pk)
    services.record_save(actor=SystemActor(), kind="student", instance=student, fields={
        "birth_date": dt.date(2015, 3, 9), "low_income": True, "disability": "visual", "name": "张子涵"})
    return row


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_rebuild_an_id_number_from_what_it_sees(cast, tmp_path, settings, activity, client, role):
    from jiaoguan.registry.models import Staff, Student

    env = environment(cast, tmp_path, settings)
    people = [n for n in [*Student.objects.values_list("id_number", flat=True),
                          *Staff.objects.values_list("id_number", flat=True)] if n]
    client.force_login(getattr(cast.users, role))
    paths = [path for _n, path, expected in pages(env)
             if expected[role] == 200] + EXPORTS + (["/audit/?page=1", "/audit/?page=2"] if role == "auditor" else [])
    lost = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            lost += [f"{path}: {n}" for n in rebuilt(as_text(response), people)]
    assert lost == []


def test_the_auditor_reads_who_did_what_without_the_persons_data(cast, client, activity):
    client.force_login(cast.users.auditor)
    text = "".join(as_text(client.get(f"/audit/?page={n}")) for n in (1, 2))
    assert "view_id" not in text and "查看完整" in text or "完整" in text  # the reveal is there, in words
    for secret in ("钱多多", "张子涵", "2015-03-09", cast.student_a.id_number, activity[3], activity[4]):
        assert secret not in text, secret
    assert "张**" in text or "张*" in text  # the record is named by its family name only
    assert "（已隐藏）" in text  # the flags and disability changed, their values are not shown
