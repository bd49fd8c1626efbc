"""The 12345 hotline's export (工单), imported as petitions: each row is a referral (one 批次), registered as
a new case or, when the same caller raises the same matter again, added to the earlier case. The hotline
writes schools by name (or code); a name the registry does not know stops the whole file."""

import re

from django.utils.translation import gettext as _

from jiaoguan.core.access import scoped
from jiaoguan.core.idnumbers import normalise_code
from jiaoguan.core.imports import CellError, Column, Importer, parse_bool, parse_date
from jiaoguan.petitions import services
from jiaoguan.petitions.models import Category, Channel, Petition
from jiaoguan.petitions.vocabulary import CATEGORIES, CATEGORY_SYNONYMS, REQUEST_TYPES

SEPARATORS = re.compile(r"[、,，;；/\s]+")
TITLE_LENGTH = 30


def parse_ticket(text: str) -> str:
    value = text.strip()
    if len(value) > 50:
        raise CellError(_("A ticket number has at most 50 characters."))
    return value


def parse_phone(text: str) -> str:
    value = services.normalise_phone(text)
    if not services.PHONE.fullmatch(value):
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": text})
    return value


def parse_request_type(text: str) -> str:
    value = REQUEST_TYPES.get(text.strip())
    if value is None:
        raise CellError(_("“%(value)s” is not one of the allowed values (%(allowed)s).")
                        % {"value": text, "allowed": "、".join(REQUEST_TYPES)})
    return value


WORDS = {**{word: value for value, word in CATEGORIES.items()}, **CATEGORY_SYNONYMS}


def parse_category(text: str) -> str:
    value = WORDS.get(text.strip())
    if value is None:
        raise CellError(_("“%(value)s” is not one of the allowed values (%(allowed)s).")
                        % {"value": text, "allowed": "、".join(CATEGORIES.values())})
    return value


def guess_category(text: str) -> str:
    """A row without a category: the first of our words (or the hotline's) the caller used, else 其他."""
    for word, value in sorted(WORDS.items(), key=lambda item: -len(item[0])):
        if value != Category.OTHER and word in text:
            return value
    return Category.OTHER


def parse_schools(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in SEPARATORS.split(text.strip()) if name))


class HotlineImporter(Importer):
    kind = "hotline"
    sheet_name = "热线工单"
    columns = [
        Column("ticket", "工单编号", True, parse_ticket, example="GD202611200123", english="Ticket number"),
        Column("received", "来电时间", True, parse_date, example="2026-11-20 09:35", english="Received"),
        Column("petitioner", "来电人", example="王女士", english="Caller"),
        Column("phone", "联系电话", False, parse_phone, example="13907911234", english="Phone"),
        Column("kind", "诉求类型", True, parse_request_type, tuple(REQUEST_TYPES), "投诉", english="Request type"),
        Column("category", "问题分类", False, parse_category, tuple(CATEGORIES.values()), "收费",
               english="Category"),
        Column("title", "诉求标题", example="反映学校收取资料费", english="Title"),
        Column("matter", "诉求内容", True, example="来电人反映孩子所在学校本学期收取资料费，要求核实。",
               english="Content"),
        Column("schools", "涉及学校", False, parse_schools, example="城关第一小学",
               help="学校全称或10位学校标识码，多所学校用顿号分隔", english="Schools"),
        Column("ticket_due", "办结时限", False, parse_date, example="2026-12-05", english="Deadline"),
        Column("anonymous", "是否匿名", False, parse_bool, ("是", "否"), "否", english="Anonymous"),
    ]
    def __init__(self, actor):
        super().__init__(actor)
        schools = list(scoped(actor, "school").only("id", "code", "name"))
        self.schools = {s.code: s for s in schools} | {s.name: s for s in schools}

    def key(self, values):
        return values["ticket"]

    def check_row(self, values):
        problems = []
        found, unknown = [], []
        for name in values.get("schools") or ():
            school = self.schools.get(name) or self.schools.get(normalise_code(name))  # a code typed in full width
            (found if school else unknown).append(school or name)
        if unknown:
            problems.append(("schools", _("Schools %(names)s are not in the registry: write a school's full name or "
                                          "its 10-digit code.") % {"names": "、".join(f"“{n}”" for n in unknown)}))
        values["_schools"] = found
        values["channel"] = Channel.HOTLINE
        values["title"] = values.get("title") or (values.get("matter") or "")[:TITLE_LENGTH]
        values["category"] = values.get("category") or guess_category(f"{values['title']}{values.get('matter')}")
        values["anonymous"] = bool(values.get("anonymous"))
        columns = {c.key for c in self.columns}
        for field, message in services.intake_problems(values).items():
            problems.append((field if field in columns else "matter", message))
        return problems

    def existing(self, keys):
        """A ticket already registered is left as it is (hotline exports overlap from day to day)."""
        return {p.ticket: p for p in Petition.objects.filter(channel=Channel.HOTLINE, ticket__in=keys)}

    def apply(self, values, instance):
        if instance is not None:
            return instance
        # The case (or the earlier case this call repeats) is written here, inside the import's one
        # transaction, so that a later row of the same file finds it; the framework writes the petition.
        case, repeat = services.intake(self.actor, values, values["_schools"])
        return Petition(case=case, channel=Channel.HOTLINE, received=values["received"], people=1,
                        content=values["matter"], ticket=values["ticket"], repeat=repeat)
