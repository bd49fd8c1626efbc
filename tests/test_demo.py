"""The demo district: realistic, valid and the same for the same seed."""

from collections import Counter

from django.core.management import call_command

from jiaoguan.accounts.models import User
from jiaoguan.core.idnumbers import id_number_problems
from jiaoguan.core.roles import Role
from jiaoguan.registry.demo import build_demo
from jiaoguan.registry.models import School, SchoolClass, Staff, Student, TeachingAssignment


def test_demo_is_valid_and_deterministic(db):
    counts = build_demo(seed=11, scale=3000)
    assert counts["students"] == Student.objects.count() > 2000
    for student in Student.objects.exclude(id_number=None)[:500]:
        assert id_number_problems(student.id_number, birth_date=student.birth_date, gender=student.gender) == []
        assert student.registry_no == "G" + student.id_number
    for staff in Staff.objects.all()[:300]:
        assert id_number_problems(staff.id_number, birth_date=staff.birth_date, gender=staff.gender) == []
    types = Counter(School.objects.values_list("school_type", flat=True))
    assert set(types) >= {"kindergarten", "primary", "junior", "senior", "vocational", "special", "nine_year"}
    assert School.objects.filter(status="merged", merged_into__isnull=False).count() == 2
    assert School.objects.filter(status="revoked").exists()
    assert TeachingAssignment.objects.exists() and SchoolClass.objects.filter(head_teacher__isnull=False).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)



def test_same_seed_builds_the_same_district(tmp_path):
    from tests.core.test_backup import jiaoguan

    exports = []
    for run in ("one", "two"):
        env = {"DATABASE_URL": f"sqlite:///{tmp_path / run}.sqlite3", "JIAOGUAN_VAR_DIR": str(tmp_path)}
        jiaoguan(env, "migrate", "-v", "0")
        jiaoguan(env, "demo", "--scale", "1200", "--seed", "5")
        exports.append(jiaoguan(env, "export", "students", "--format", "csv").stdout)
    assert exports[0] == exports[1] and exports[0].count("\n") > 1000


def test_demo_command_leaves_an_existing_registry_alone(cast, capsys):
    call_command("demo", "--if-empty")
    assert "already" in capsys.readouterr().out
    assert School.objects.count() == 2
