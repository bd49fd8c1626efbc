"""Writes of the work summary: a draft from the facts of a period, and its saved versions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock
from jiaoguan.core.facts import Fact, Period
from jiaoguan.summary import draft as drafting
from jiaoguan.summary.facts import collect
from jiaoguan.summary.models import SummaryDraft, SummaryVersion

KINDS = {"title", "h1", "h2", "p", "sign"}


def facts_of(draft: SummaryDraft) -> dict[str, Fact]:
    return {f["key"]: Fact(**{k: f[k] for k in ("key", "label", "value", "unit", "app", "filters", "link", "section",
                                                "kind")}, where=f.get("where", ""), decimals=f.get("decimals")) for f in draft.facts}


def title_for(period: Period, department: str | None) -> str:
    from jiaoguan.registry.models import Department
    from jiaoguan.registry.selectors import bureau_name

    who = bureau_name()
    if department:
        who += Department.objects.filter(code=department).values_list("name", flat=True).first() or ""
    return f"{who}{period.name}工作总结"


@transaction.atomic
def draft_create(*, actor, period: Period, department: str = "") -> SummaryDraft:
    """Collect the facts (and last year's same period for 同比), write the draft, keep both."""
    from jiaoguan.summary.selectors import may_draft

    if not may_draft(actor, department):
        raise PermissionDenied
    facts = collect(period, department or None)
    before = collect(period.year_before(), department or None)
    title = title_for(period, department or None)

    day = clock.today()
    issuer = title.split(period.name)[0]
    blocks, derived = drafting.build(period, facts, before, title=title, department=department,
                                     signed=(issuer, f"{day.year}年{day.month}月{day.day}日"),
                                     ongoing=period.end >= day)
    every = {f.key: f for f in [*facts, *derived]}
    blocks = _polished(blocks, every)
    draft = SummaryDraft.objects.create(
        title=title, period_start=period.start, period_end=period.end, period_name=period.name,
        department=department, facts=[f.as_dict(period) for f in every.values()],
        created_by=actor if getattr(actor, "pk", None) else None)
    SummaryVersion.objects.create(draft=draft, number=1, blocks=drafting.render(blocks, every),
                                  created_by=draft.created_by)
    audit.record_change(actor=actor, obj=draft, before=None)
    return draft


def _polished(blocks: list[dict], facts: dict[str, Fact]) -> list[dict]:
    """The language model's wording where it passed every check, our template's elsewhere; after the
    figures are filled in, a paragraph that does not check out falls back too."""
    from jiaoguan.summary.check import check
    from jiaoguan.summary.polish import polish

    polished, changed = polish(blocks)
    if not changed:
        return blocks
    kept = []
    for ours, theirs in zip(blocks, polished, strict=True):
        filled = drafting.render([theirs], facts)
        kept.append(theirs if theirs is ours or not check(filled, facts) else ours)
    return kept


def clean_blocks(raw) -> list[dict]:
    """Blocks as the editor sends them, reduced to what a summary holds: kinds and text or figures."""
    if not isinstance(raw, list) or not raw or len(raw) > 2000:
        raise ValidationError(_("The summary is empty or not readable."))
    blocks = []
    for block in raw:
        if not isinstance(block, dict) or block.get("kind") not in KINDS or not isinstance(block.get("parts"), list):
            raise ValidationError(_("The summary is empty or not readable."))
        parts = []
        for part in block["parts"]:
            if isinstance(part, str):
                parts.append(part[:20000])
            elif isinstance(part, dict) and part.get("claim") is True and isinstance(part.get("text"), str):
                parts.append({"fact": "", "text": part["text"][:20000], "claim": True})  # still to confirm
            elif isinstance(part, dict) and isinstance(part.get("fact"), str) and isinstance(part.get("text"), str):
                parts.append({"fact": part["fact"][:100], "text": part["text"][:50]})
            else:
                raise ValidationError(_("The summary is empty or not readable."))
        blocks.append({"kind": block["kind"], "parts": parts})
    return blocks


@transaction.atomic
def version_save(*, actor, draft: SummaryDraft, blocks: list[dict]) -> SummaryVersion:
    from jiaoguan.summary.selectors import may_change

    if not may_change(actor, draft):
        raise PermissionDenied
    blocks = clean_blocks(blocks)
    latest = draft.latest
    if latest is not None and latest.blocks == blocks:
        return latest
    version = SummaryVersion.objects.create(draft=draft, number=(latest.number + 1) if latest else 1, blocks=blocks,
                                            created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action="update", obj=draft, changes={"version": [latest.number if latest else None,
                                                                               version.number]})
    return version
