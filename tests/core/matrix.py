from tests.matrix import row

# Reached only with a job of one's own or by POST: tests/core/test_import_jobs.py, tests/registry/test_import.py.
ELSEWHERE = {"core:import_upload", "core:import_job", "core:import_errors"}

PUBLIC = {"core:health"}  # open without signing in


def pages(env):
    return [
        ("core:import_home", "/import/", row(officer=200, personnel=200, school_admin=200, outsider=200)),
        ("core:import_template", "/import/template/students/", row(404, officer=200, school_admin=200, outsider=200)),
        ("core:audit_log", "/audit/", row(auditor=200)),
        ("core:house", "/house/", row(system_admin=200)),
        ("core:health", "/health/", row(200)),
    ]
