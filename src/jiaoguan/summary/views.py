"""The work summary's pages: the drafts, drafting one for a period, the editor (figures with their
sources, "check the figures", versions) and the Word export."""

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.access import can_write_summary
from jiaoguan.core.facts import Period, parse_period
from jiaoguan.summary import selectors, services
from jiaoguan.summary.check import check, unconfirmed
from jiaoguan.summary.numbers import figures


def _writer(request) -> None:
    if not can_write_summary(request.user):
        raise PermissionDenied


def _periods(today: dt.date) -> list[tuple[str, str]]:
    years = (today.year, today.year - 1)
    return [(f"{y}-{h}", f"{y}年{'上' if h == 'H1' else '下'}半年") for y in years for h in ("H2", "H1")] + [
        (str(y), f"{y}年") for y in years]


@login_required
def summary_list(request):
    _writer(request)
    if request.method == "POST":
        try:
            start, end = (dt.date.fromisoformat(request.POST[k]) if request.POST.get(k) else None
                          for k in ("start", "end"))
            if bool(start) != bool(end):
                raise ValueError(_("Give both the first and the last day, or choose a period."))
            period = parse_period(request.POST.get("period", ""), start, end)
        except ValueError as problem:
            messages.error(request, str(problem))
        else:
            draft = services.draft_create(actor=request.user, period=period,
                                          department=request.POST.get("department", ""))
            if not any(f["key"] == "registry.students" for f in draft.facts):
                messages.warning(request, _("No snapshot of the registry was taken within this period, so the draft "
                                            "states no figures of the district's schools, students and classes (the "
                                            "registry is snapshotted daily; see the deployment guide)."))
            return redirect("summary:edit", pk=draft.pk)
    return render(request, "summary/list.html", {
        "drafts": selectors.drafts(request.user)[:50], "periods": _periods(clock.today()),
        "departments": selectors.departments_to_draft(request.user)})


def _segments(blocks: list[dict], flags, facts) -> list[dict]:
    """Blocks for the editor: text pieces with unsupported figures marked (after a check), figures with
    their fact (`edited` when the text no longer equals the fact: always shown, not only after a
    check), statements to confirm (待核实)."""
    flagged = {(f.block, f.text) for f in flags}
    edited = {(f.block, f.text) for f in check(blocks, facts) if f.reason == "changed"}
    shown = []
    for n, block in enumerate(blocks):
        pieces = []
        for part in block["parts"]:
            if isinstance(part, dict) and part.get("claim"):
                pieces.append({"claim": True, "text": part["text"]})
                continue
            if isinstance(part, dict):
                pieces.append({"fact": part["fact"], "text": part["text"], "flag": (n, part["text"]) in flagged,
                               "edited": (n, part["text"]) in edited})
                continue
            last = 0
            for figure in figures(part):
                if (n, figure.text) in flagged:
                    pieces += [{"text": part[last:figure.start]}, {"text": part[figure.start:figure.end], "flag": True}]
                    last = figure.end
            pieces.append({"text": part[last:]})
        shown.append({"kind": block["kind"], "pieces": [p for p in pieces if p["text"] or p.get("fact")
                                                         or p.get("claim")]})
    return shown


def _app_name(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


@login_required
def summary_edit(request, pk):
    _writer(request)
    draft = selectors.draft_get(request.user, pk)
    facts = services.facts_of(draft)
    blocks, flags, claims, checked = draft.latest.blocks, [], [], False
    may_change = selectors.may_change(request.user, draft)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save" and not may_change:
            raise PermissionDenied
        try:
            sent = services.clean_blocks(json.loads(request.POST.get("blocks") or "null"))
        except (ValueError, RecursionError, ValidationError) as problem:
            messages.error(request, " ".join(getattr(problem, "messages", [str(problem)])))
            return redirect("summary:edit", pk=draft.pk)
        if action == "save":
            version = services.version_save(actor=request.user, draft=draft, blocks=sent)
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            unsupported = check(sent, facts)
            if unsupported:
                messages.warning(request, _("It holds %(n)s figures that no fact supports: %(figures)s.")
                                 % {"n": len(unsupported), "figures": "、".join(f.text for f in unsupported)})
            to_confirm = unconfirmed(sent)
            if to_confirm:
                messages.warning(request, _("%(n)s statements rest on no data and wait for you to confirm them: "
                                            "%(claims)s.") % {"n": len(to_confirm),
                                                             "claims": "、".join(f"“{f.text}”" for f in to_confirm)})
            return redirect("summary:edit", pk=draft.pk)
        blocks, flags, claims, checked = sent, check(sent, facts), unconfirmed(sent), True
    sources = {key: {"label": f.label, "value": f.text, "unit": f.unit, "link": f.link,
                     "query": f"{_app_name(f.app)}：{f.where or f.label}"}  # in words, never the filters' code
               for key, f in facts.items()}
    return render(request, "summary/edit.html", {
        "draft": draft, "blocks": _segments(blocks, flags, facts), "flags": flags, "claims": claims,
        "checked": checked, "may_change": may_change, "unsaved": checked and blocks != draft.latest.blocks,
        "versions": selectors.versions(draft), "sources": sources,
        "period": Period(draft.period_start, draft.period_end, draft.period_name)})


@login_required
def summary_docx(request, pk):
    from urllib.parse import quote

    from jiaoguan.summary.document import export

    _writer(request)
    draft = selectors.draft_get(request.user, pk)
    if request.method == "POST":  # what the editor shows, saved or not
        try:
            blocks = services.clean_blocks(json.loads(request.POST.get("blocks") or "null"))
        except (ValueError, RecursionError, ValidationError) as problem:
            return HttpResponse(" ".join(getattr(problem, "messages", [str(problem)])), status=400,
                                content_type="text/plain; charset=utf-8")
        version, anyway = None, request.POST.get("anyway") == "1"
    else:
        version = selectors.version_get(draft, request.GET.get("version", ""))
        blocks, anyway = version.blocks, request.GET.get("anyway") == "1"
    claims = unconfirmed(blocks)
    if claims and not anyway:  # say so before the document leaves
        return render(request, "summary/export_warning.html", {
            "draft": draft, "version": version, "claims": claims, "blocks": json.dumps(blocks, ensure_ascii=False)})
    response = HttpResponse(export(draft.title, blocks), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = (f'attachment; filename="summary-{draft.pk}.docx"; '
                                       f"filename*=UTF-8''{quote(draft.title + '.docx')}")
    return response


@login_required
def summary_facts(request, pk):
    _writer(request)
    draft = selectors.draft_get(request.user, pk)
    return JsonResponse({"title": draft.title, "period": [str(draft.period_start), str(draft.period_end)],
                         "facts": draft.facts}, json_dumps_params={"ensure_ascii": False})
