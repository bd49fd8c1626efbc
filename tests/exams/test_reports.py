"""Exam report pages: the ranking policy, the school's own report beside the district, xlsx."""

import io

import openpyxl

from jiaoguan.core.models import AuditEntry
from jiaoguan.exams.models import Exam


def test_school_report_hides_ranks_unless_the_bureau_allows(cast, exam, client):
    client.force_login(cast.users.school_admin)
    assert client.get(f"/exams/{exam.pk}/")["Location"] == f"/exams/{exam.pk}/schools/{cast.school_a.pk}/"
    page = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/")
    assert page.status_code == 200 and not page.context["show_ranks"]
    assert cast.school_b.name not in page.content.decode()
    client.force_login(cast.users.officer)
    assert client.post(f"/exams/{exam.pk}/rank-policy/", {"show_ranks_to_schools": "on"}).status_code == 302
    assert Exam.objects.get(pk=exam.pk).show_ranks_to_schools
    client.force_login(cast.users.school_admin)
    assert client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/").context["show_ranks"]


def test_rank_policy_is_the_bureaus(cast, exam, client):
    for user in (cast.users.school_admin, cast.users.leader):
        client.force_login(user)
        assert client.post(f"/exams/{exam.pk}/rank-policy/", {"show_ranks_to_schools": "on"}).status_code == 403
    client.force_login(cast.users.outsider)
    assert client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/").status_code == 404
    assert not Exam.objects.get(pk=exam.pk).show_ranks_to_schools


def test_overview_lists_schools_by_rank_with_the_explanation(cast, exam, client):
    client.force_login(cast.users.leader)
    page = client.get(f"/exams/{exam.pk}/")
    names = [r["name"] for r in page.context["schools"]]
    assert names == [cast.school_a.name, cast.school_b.name]  # 145 against 125.0 on the total
    assert "27%" in page.content.decode()


def test_school_report_xlsx_reads_back(cast, exam, client):
    client.force_login(cast.users.school_admin)
    response = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/xlsx/")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first, classes = workbook.worksheets
    rows = list(first.iter_rows(values_only=True))
    assert rows[1][0] == "语文" and rows[1][3] == 220 / 3 and len(rows[0]) == 11  # no rank column
    assert [r[0] for r in list(classes.iter_rows(values_only=True))[1:]] == ["五年级(1)班", "五年级(2)班"]
    assert AuditEntry.objects.filter(action="export", object_type="exams.exam").exists()
