"""The written reply to the petitioner (信访事项答复意见书) as a Word document: always in Chinese, whatever
the officer's interface language, since it goes to the petitioner as an official letter."""

import datetime as dt
import io

from django.utils import translation
from django.utils.translation import gettext as _

from jiaoguan.petitions.models import Case
from jiaoguan.petitions.vocabulary import CHANNELS, OUTCOMES


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reply_document(case: Case) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from jiaoguan.registry.selectors import bureau_name

    with translation.override("zh-hans"):
        document = Document()
        title = document.add_heading(_("Written reply to a petition"), level=0)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number = document.add_paragraph(case.reply_number)
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        addressee = case.petitioner or _("Petitioner")  # an anonymous petitioner has no name to write
        document.add_paragraph(f"{addressee}：")
        document.add_paragraph(_("On %(received)s you raised “%(title)s” with us (%(channel)s). We accepted the matter "
                                 "on %(accepted)s. Having looked into it, we reply as follows:") % {
            "received": chinese_date(case.received), "title": case.title, "channel": CHANNELS[case.channel],
            "accepted": chinese_date(case.accepted or case.received)})
        for line in case.reply.splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
        document.add_paragraph(_("Our decision: %(outcome)s.") % {"outcome": OUTCOMES[case.outcome]})
        if case.extension_days:
            document.add_paragraph(_("The time limit for this matter was extended by %(days)d days because %(reason)s.")
                                   % {"days": case.extension_days, "reason": case.extension_reason.rstrip("。.")})
        document.add_paragraph(_("If you disagree with this reply, you may ask the body above us to review it within "
                                 "30 days of receiving this letter (信访工作条例, article 35)."))
        document.add_paragraph("")
        for line in (bureau_name(), chinese_date(case.replied)):
            signature = document.add_paragraph(line)
            signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
