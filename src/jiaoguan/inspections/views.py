"""Supervision's pages: the public sign at a school's gate (公示牌); rectification items followed to the end."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiaoguan.inspections import scheduling
from jiaoguan.inspections.models import Rectification
from jiaoguan.registry.models import School, SchoolStatus


def zone_sign(request, code):
    """Reachable without signing in: names, work phones and e-mails of the inspectors, nothing else."""
    school = get_object_or_404(School, code=code, status=SchoolStatus.OPEN)
    zones = school.zones.prefetch_related("inspectors")
    return render(request, "inspections/zone_sign.html", {"school": school, "zones": zones})


def _supervision_reader(request):
    from django.core.exceptions import PermissionDenied

    from jiaoguan.accounts.models import Role

    if request.user.role not in (Role.LEADER, Role.OFFICER, Role.INSPECTOR, Role.SCHOOL_ADMIN):
        raise PermissionDenied


def _can_verify(user) -> bool:
    from jiaoguan.core.access import can_write

    return can_write(user, "inspection")


@login_required
def rectification_list(request):
    """整改 items with their state and whether they are overdue; schools see theirs once notified."""
    from jiaoguan.inspections import selectors

    _supervision_reader(request)
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    items = selectors.rectification_list(request.user, state=state, overdue=overdue)
    today = selectors.today()
    page = Paginator(items.order_by("deadline", "id"), 50).get_page(request.GET.get("page"))
    for item in page:
        item.is_overdue = scheduling.overdue(item.state, item.deadline, today)
    return render(request, "inspections/rectification_list.html", {
        "page": page, "states": Rectification.State.choices, "state": state, "overdue": overdue,
        "overdue_count": selectors.rectification_list(request.user, overdue=True).count(),
        "query": request.GET.urlencode(),
    })


@login_required
def rectification_detail(request, pk):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiaoguan.accounts.models import Role
    from jiaoguan.inspections import selectors, services

    _supervision_reader(request)
    item = selectors.rectification_get(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer" and request.user.role == Role.SCHOOL_ADMIN:
                services.rectification_answer(actor=request.user, item=item, measures=request.POST.get("measures", ""))
            elif action == "close" and _can_verify(request.user):
                services.rectification_close(actor=request.user, item=item)
            elif action == "reopen" and _can_verify(request.user):
                services.rectification_reopen(actor=request.user, item=item)
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:rectification_detail", pk=item.pk)
    return render(request, "inspections/rectification_detail.html", {
        "item": item, "is_overdue": scheduling.overdue(item.state, item.deadline, selectors.today()),
        "can_answer": request.user.role == Role.SCHOOL_ADMIN and item.state != Rectification.State.CLOSED,
        "can_verify": _can_verify(request.user),
    })


@login_required
def notice_download(request, pk):
    from django.http import HttpResponse

    from jiaoguan.inspections import selectors
    from jiaoguan.inspections.services import notice_document

    _supervision_reader(request)
    notice = selectors.notice_get(request.user, pk)
    response = HttpResponse(notice_document(notice), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}.docx"'
    return response


@login_required
def supervision_figures(request):
    from jiaoguan.inspections import selectors
    from jiaoguan.inspections.models import InspectionKind

    _supervision_reader(request)
    data = selectors.figures(request.user)
    kinds = dict(InspectionKind.choices)
    for row in data["by_kind"]:
        row["label"] = kinds.get(row["plan__kind"], row["plan__kind"])
    return render(request, "inspections/figures.html", {"figures": data, "chart": {
        "schools": [r["school"] for r in data["by_school"]],
        "rates": [round(100 * r["rate"], 1) if r["rate"] is not None else None for r in data["by_school"]]}})
