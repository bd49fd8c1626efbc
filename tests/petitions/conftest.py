"""Petitions' shared records: cases registered by the 办公室 officer of the cast, on a fixed day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from jiaoguan.petitions import services
from jiaoguan.petitions.models import Category, Channel, Kind

TODAY = dt.date(2026, 11, 24)  # a Tuesday inside the cast's first term
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def today():
    """The bureau's clock stands at 2026-11-24 10:00 in Beijing (core.clock follows time-machine)."""
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield TODAY


def register(cast, *, received=None, school="a", kind=Kind.APPEAL, category=Category.FEES, channel=Channel.CALL,
             petitioner="王秀兰", phone="13907915678", **extra):
    """A petition registered by the 办公室 officer (the petition; its case is `.case`)."""
    schools = {"a": [cast.school_a], "b": [cast.school_b], "": []}[school]
    values = {"title": "反映学校收取资料费", "matter": "孩子所在学校本学期收取资料费120元，未见公示。",
              "petitioner": petitioner, "phone": phone, "address": "城关镇解放路8号"}
    values.update(extra)
    return services.case_register(actor=cast.users.office, channel=channel, received=received or TODAY,
                                  category=category, kind=kind, schools=schools, **values)


def accepted(cast, **kwargs):
    petition = register(cast, **kwargs)
    return services.case_accept(actor=cast.users.office, case=petition.case, on=petition.received)


def evidence(name="调查报告.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")
