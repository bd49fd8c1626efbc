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


# ---- lists: each grows rows its page shows (tests/test_list_queries.py) -------------------------------

def _drafts(c):
    """grow(n): n drafts of the bureau's summary, each with two versions, titled."""
    import datetime as dt

    from jiaoguan.summary.models import SummaryDraft, SummaryVersion
    from tests.registry.matrix import SERIAL

    def grow(n):
        titles = []
        for k in (next(SERIAL) for _ in range(n)):
            draft = SummaryDraft.objects.create(title=f"工作总结草稿{k}", period_start=dt.date(2026, 7, 1),
                                                period_end=dt.date(2026, 12, 31), period_name="2026年下半年")
            for number in (1, 2):
                SummaryVersion.objects.create(draft=draft, number=number, created_by=c.users.office,
                                              blocks=[{"kind": "p", "parts": ["正文"]}])
            titles.append(draft.title)
        return titles

    return grow


def _versions(summary):
    """grow(n): n more saved versions of the draft, each by its own officer."""
    from jiaoguan.accounts.models import User
    from jiaoguan.summary.models import SummaryVersion
    from tests.registry.matrix import SERIAL

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            writer = User.objects.create(username=f"writer{k}", display_name=f"撰稿人{k}", role="officer",
                                         department=summary_department())
            SummaryVersion.objects.create(draft=summary, number=k, created_by=writer, blocks=summary.latest.blocks)
            names.append(writer.display_name)
        return names

    return grow


def summary_department():
    from jiaoguan.registry.models import Department

    return Department.objects.get(code="office")


def lists(env):
    c, summary = env.cast, env.records["summary"]
    return [
        ("/summary/", "office", _drafts(c)),
        (f"/summary/{summary.pk}/", "office", _versions(summary)),
    ]
