"""What the backup tests run inside an installation of their own (`jiaoguan shell -c`): data in
every app, a writer that keeps writing, and the readings compared before and after a restore."""

import datetime as dt
import hashlib
import io
import json
import os
import time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBJECTS = {"A": ["语文", "数学", "英语"], "B": ["语文", "数学"]}


def photo(seed: int, name: str = "现场.jpg") -> SimpleUploadedFile:
    image = Image.frombytes("RGB", (48, 32), hashlib.sha256(str(seed).encode()).digest() * 144)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue())


def _user(username):
    from jiaoguan.accounts.models import User

    return User.objects.get(username=username)


def add_uploads():
    """After the demo: a visit scored with a photo, a rectification answered with evidence, a report with an
    attachment, and an import job's kept file (the demo builds the registry, the exams, plans and reports)."""
    from jiaoguan.core import clock
    from jiaoguan.core.facts import parse_period
    from jiaoguan.core.jobs import import_job_create
    from jiaoguan.inspections import services as inspections
    from jiaoguan.inspections.models import Checklist, Rectification
    from jiaoguan.registry.models import Term
    from jiaoguan.reporting import services as reporting
    from jiaoguan.summary.services import draft_create

    today = clock.today()
    school = _user("school1").school
    term = Term.objects.filter(start__lte=today).order_by("-start").first()
    plan = inspections.plan_thematic(actor=_user("supervision"), name="备份演练检查", term=term, schools=[school],
                                     start=today, end=today, checklist=Checklist.objects.get(kind="safety"))
    visit = plan.visits.get()
    first = inspections.scored_items(plan.checklist)[0]
    inspections.visit_save(actor=_user("supervision"), visit=visit, marks={}, findings="消防通道堆放杂物",
                           photos=[(first.pk, photo(1)), (None, photo(2, "全景.png"))])
    item = inspections.rectification_add(actor=_user("supervision"), visit=visit, finding="清理消防通道",
                                         deadline=today + dt.timedelta(days=7))
    inspections.notice_issue(actor=_user("supervision"), visit=visit, issued=today)
    item = Rectification.objects.get(pk=item.pk)
    inspections.rectification_answer(actor=_user("school1"), item=item, measures="已清理",
                                      evidence=SimpleUploadedFile("整改说明.pdf", PDF))
    officer = _user("education")
    form = reporting.form_create(actor=officer, code="backup-drill", name="备份演练月报", period_type="monthly",
                                 fields=[{"key": "count", "label": "人数", "type": "int", "required": True, "min": 0},
                                         {"key": "proof", "label": "附件", "type": "file", "required": False}])
    start = today.replace(day=1)
    assignment = reporting.assignment_create(actor=officer, form=form, schools=[school], start=start,
                                             end=start + dt.timedelta(days=27))
    reporting.report_save(actor=_user("school1"), assignment=assignment, school=school, period_start=start,
                          post={"f-count": "12"}, files={"f-proof": SimpleUploadedFile("说明.pdf", PDF)}, submit=True)
    upload = SimpleUploadedFile("学生.csv", "学籍号,姓名\n".encode())
    import_job_create(actor=officer, kind="students", upload=upload)
    draft_create(actor=_user("office"), period=parse_period(f"{today.year}-H{1 if today.month <= 6 else 2}"))


def _plain(value):
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    return str(value) if value is not None else None


def _tables() -> dict:
    """Every row of every table, as text, sorted."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            rows = [json.dumps(dict(zip(columns, map(_plain, row), strict=True)), ensure_ascii=False, sort_keys=True)
                    for row in cursor.fetchall()]
            result[table] = sorted(rows)
    return result


def _files() -> dict:
    """Every file of every declared folder with its sha256."""
    from django.conf import settings

    from jiaoguan.core import house

    var = Path(settings.VAR_DIR)
    result = {}
    for _app, folder in house.files():
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            result[path.relative_to(var).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def state(target: str) -> None:
    Path(target).write_text(json.dumps({"tables": _tables(), "files": _files()}, ensure_ascii=False))


def write_scores(path: Path, version: str) -> Path:
    """An exam file whose shape tells its version: A has three subjects and 30 students, B two and 20."""
    from jiaoguan.registry.models import SchoolClass

    klass = SchoolClass.objects.filter(grade=8).select_related("school").order_by("pk").first()
    subjects = SUBJECTS[version]
    count = 30 if version == "A" else 20
    lines = [",".join(["考号", "学籍号", "姓名", "学校标识码", "班级", *subjects])]
    for n in range(count):
        lines.append(",".join([f"{version}{n:04d}", "", f"学生{n}", klass.school.code, str(klass.number),
                               *[str((n * 7 + i * 13) % 100) for i in range(len(subjects))]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def keep_writing(folder: str, stop: str) -> None:
    """Until `stop` exists: import the exam DRILL again (file A, then B, then A…) and analyse it, and score
    a visit with a new photo each time; `folder/rounds` counts the rounds done."""
    from jiaoguan.core.access import SystemActor
    from jiaoguan.exams.imports import import_exam
    from jiaoguan.exams.services import exam_analyze
    from jiaoguan.inspections import services as inspections
    from jiaoguan.inspections.models import Visit

    work = Path(folder)
    versions = {v: write_scores(work / f"scores-{v}.csv", v) for v in SUBJECTS}
    visit = Visit.objects.filter(plan__name="备份演练检查").get()
    rounds = 0
    while not Path(stop).exists():
        version = "AB"[rounds % 2]
        result = import_exam(actor=SystemActor(), path=versions[version], code="DRILL", name="演练考试", grade=8)
        assert result.ok, result.file_error or result.errors[:3]
        exam_analyze(actor=SystemActor(), exam=result.exam)
        inspections.visit_save(actor=_user("supervision"), visit=visit, marks={}, findings=f"第{rounds}轮",
                               photos=[(None, photo(1000 + rounds))])
        rounds += 1
        (work / "rounds").write_text(str(rounds))
        time.sleep(0.01)


def consistency(target: str) -> None:
    """What must hold in a restored installation, as JSON: each exam's rows agree with its files, and every
    file a row names is there."""
    import duckdb
    import pyarrow.parquet as pq
    from django.apps import apps
    from django.db.models import FileField

    from jiaoguan.exams.analysis.kernel import TOTAL
    from jiaoguan.exams.models import Exam

    exams = {}
    for exam in Exam.objects.all():
        scores = pq.read_table(exam.scores_path)
        found = {"students": [exam.students, scores.num_rows],
                 "subjects": [sorted(exam.subjects.values_list("name", flat=True)),
                              sorted(set(scores.column_names) - {"exam_no", "student_no", "name", "school_code",
                                                                  "class"})]}
        if exam.analyzed_at:
            with duckdb.connect(str(exam.analysis_path), read_only=True) as con:
                analysed = sorted(r[0] for r in con.execute("SELECT subject FROM subjects").fetchall())
            found["analysed"] = [sorted([*exam.subjects.values_list("name", flat=True), TOTAL]), analysed]
        exams[exam.code] = found
    missing = []
    named = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                for name in model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    named += 1
                    if not os.path.isfile(field.storage.path(name)):
                        missing.append(name)
    Path(target).write_text(json.dumps({"exams": exams, "missing": missing, "named": named}, ensure_ascii=False))


def refusals(paths: list[str], target: str) -> None:
    """Restore each archive with the real command; what each refusal said, and whether any row or file
    changed from before the first to after the last, into `target`."""
    from django.conf import settings
    from django.core.management import CommandError, call_command

    before = (_tables(), _files())
    said = {}
    for path in paths:
        try:
            call_command("restore", path, yes=True)
            said[path] = "restored!"
        except CommandError as error:
            said[path] = str(error)
    leftovers = [p.name for p in Path(settings.VAR_DIR).glob(".restore-*")]
    Path(target).write_text(json.dumps({"said": said, "unchanged": (_tables(), _files()) == before,
                                        "leftovers": leftovers}, ensure_ascii=False))


def replace_then_commit(probe: str, ready: str, go: str) -> None:
    """An app's write as the rule asks: under changing_files(), the file replaced and a row written in one
    transaction; it waits for `go` before committing."""
    from django.db import transaction

    from jiaoguan.core import backup
    from jiaoguan.registry.models import Region

    with backup.changing_files(), transaction.atomic():
        Region.objects.create(code="999999", name="锁内写入", level="district")
        aside = Path(probe).with_suffix(".next")
        aside.write_text("v2")
        aside.replace(probe)
        Path(ready).touch()
        deadline = time.monotonic() + 120
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def undo_probe(probe: str) -> None:
    import shutil

    from jiaoguan.registry.models import Region

    Region.objects.filter(code="999999").delete()
    shutil.rmtree(Path(probe).parent)


def drill(step: str) -> None:
    """Import the exam DRILL (file A) or analyse it."""
    from django.conf import settings

    from jiaoguan.core.access import SystemActor
    from jiaoguan.exams.imports import import_exam
    from jiaoguan.exams.models import Exam
    from jiaoguan.exams.services import exam_analyze

    if step == "import":
        path = write_scores(Path(settings.VAR_DIR).parent / "drill-A.csv", "A")
        result = import_exam(actor=SystemActor(), path=path, code="DRILL", name="演练考试", grade=8)
        assert result.ok, result.file_error or result.errors[:3]
    else:
        exam_analyze(actor=SystemActor(), exam=Exam.objects.get(code="DRILL"))


def change_everything() -> None:
    """What a day (or an accident) does after a backup: rows gone and changed, a table added, files
    added, replaced and removed."""
    from django.conf import settings

    from jiaoguan.registry.models import School, TeachingAssignment

    TeachingAssignment.objects.all().delete()
    School.objects.filter(pk=School.objects.order_by("pk").first().pk).update(name="改坏了")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stray_table (x integer)")
    var = Path(settings.VAR_DIR)
    next((var / "media" / "inspections" / "photos").rglob("*.jpg")).unlink()
    (var / "media" / "inspections" / "photos" / "stray.jpg").write_bytes(b"\xff\xd8 stray")
    (var / "exams" / "2026-G8-MID" / "scores.parquet").write_bytes(b"PAR1 broken")
