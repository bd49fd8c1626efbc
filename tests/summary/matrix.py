from tests.conftest import make_summary
from tests.matrix import row

WRITERS = dict(leader=200, officer=200, personnel=200)  # the bureau reads the bureau's own document


def records(env):
    return make_summary(env.cast)


def pages(env):
    summary = env.records["summary"]
    return [
        ("summary:list", "/summary/", row(**WRITERS)),
        ("summary:edit", f"/summary/{summary.pk}/", row(**WRITERS)),
        ("summary:docx", f"/summary/{summary.pk}/docx/", row(**WRITERS)),
        ("summary:facts", f"/summary/{summary.pk}/facts.json", row(**WRITERS)),
    ]


def writes(env):
    summary = env.records["summary"]
    return [
        (f"/summary/{summary.pk}/", {"action": "save", "blocks": '[{"kind": "p", "parts": ["外人"]}]'}),
        ("/summary/", {"period": "2026-H2"}),
    ]
