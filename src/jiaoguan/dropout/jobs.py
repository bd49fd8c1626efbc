"""The import page's runner for 户籍 extracts: check, compare, write the round, and say where to look."""

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.dropout import services


def run_huji_job(job, progress) -> None:
    result = services.round_run(actor=job.actor, path=Path(job.file.path),
                                name=job.params.get("name") or Path(job.original_name).stem,
                                source_name=job.original_name, progress=progress)
    job.total_rows = job.done_rows = result.read.total
    job.finished_at = clock.now()
    if result.ok:
        counts = result.round.counts
        progress("writing", 100, 100)
        job.status, job.phase, job.created = job.Status.DONE, "done", counts.get("cases_opened", 0)
        job.message = _("%(rows)d children compared: %(matched)d enrolled, %(not)d not enrolled, %(review)d to "
                        "confirm by a person; %(cases)d new cases.") % {
            "rows": counts["huji"], "matched": counts["matched"], "not": counts["not_enrolled"],
            "review": counts["review"], "cases": counts.get("cases_opened", 0)}
        job.result_url = reverse("dropout:round_detail", args=[result.round.pk])
    else:
        job.status, job.phase = job.Status.FAILED, "refused"
        job.message = result.read.message()
        job.errors = [e.as_dict() for e in result.read.errors]
    job.save()
