"""Chinese resident ID numbers (GB 11643): validation, masking, and generation for demo data."""

import datetime as dt
import random
from operator import mul

from django.utils.translation import gettext_noop

from jiaoguan.core import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
DIGITS = "0123456789"
# The full-width forms of ASCII's letters, digits and signs (U+FF01–U+FF5E) and the ideographic space:
# what a Chinese input method types unless switched to half width.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
FULL_WIDTH_CHARACTER = f"[{chr(0xFF01)}-{chr(0xFF5E)}{chr(0x3000)}]"  # a pattern for any of them


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != len(WEIGHTS):
        raise ValueError(f"{first17!r} is not 17 digits")
    total = sum(map(mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def birth_date_of(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_of(id_number: str) -> str:
    """'M' or 'F': the 17th digit is odd for men and even for women."""
    return "M" if int(id_number[16]) % 2 else "F"


def id_number_problems(
    value: str, *, birth_date: dt.date | None = None, gender: str | None = None, today: dt.date | None = None
) -> list[str]:
    """Every way `value` fails to be a valid ID number, as untranslated message ids. `today` is the
    clock's date, read once by a caller checking many numbers (an import of a million rows)."""
    if len(value) != 18:
        return [gettext_noop("The ID number must have 18 characters.")]
    if not ascii_digits(value[:17]) or value[17] not in DIGITS + "X":
        return [gettext_noop("The ID number must be 17 digits followed by a digit or X.")]
    problems = []
    if check_char(value[:17]) != value[17]:
        problems.append(gettext_noop("The check digit of the ID number is wrong."))
    try:
        born = birth_date_of(value)
    except ValueError:
        return [*problems, gettext_noop("The ID number does not contain a real birth date.")]
    if born.year < 1900 or born > (today or clock.today()):
        problems.append(gettext_noop("The ID number does not contain a real birth date."))
    if birth_date is not None and born != birth_date:
        problems.append(gettext_noop("The ID number does not match the birth date."))
    if gender in ("M", "F") and gender_of(value) != gender:
        problems.append(gettext_noop("The ID number does not match the gender."))
    return problems


def ascii_digits(text: str) -> bool:
    """Whether `text` is digits 0–9 only (`str.isdigit` also takes ３, ٣ and ², which `int` reads or chokes on)."""
    return text.isascii() and text.isdigit()


def half_width(text: str) -> str:
    """`text` with its full-width letters, digits and signs (３６０１…) as ASCII: a number typed either way
    is the same number, stored once."""
    return text if text.isascii() else text.translate(HALF_WIDTH)  # an import reads a million numbers


def normalise_id_number(value: str) -> str:
    return half_width(value).strip().upper().replace(" ", "")


def normalise_code(value: str) -> str:
    """A 学籍号 or a school's or region's code as it is stored: half width, upper case, trimmed."""
    return half_width(value).strip().upper()


def half_width_stored(model, field: str, normalise) -> list:
    """Store the values of `model`'s `field` that hold full-width characters as `normalise` reads them (for
    the data migrations that came with `half_width`). A unique field's value whose normal form another record
    already holds is left as it is (the two are one person or school typed twice, for someone to merge; of two
    typed in full width, the older record takes the number): the answer lists those records' primary keys."""
    unique = model._meta.get_field(field).unique
    left = []
    typed = list(model.objects.filter(**{f"{field}__regex": FULL_WIDTH_CHARACTER}).order_by("pk")
                 .values_list("pk", field))
    for pk, value in typed:
        normal = normalise(value)
        if unique and model.objects.filter(**{field: normal}).exclude(pk=pk).exists():
            left.append(pk)
        else:
            model.objects.filter(pk=pk).update(**{field: normal})
    return left


def half_width_migration(app_label: str, fields: list[tuple]):
    """The forwards step of a data migration storing `fields` ([(model name, field, normalise)]) half width;
    it names the records left as they are (`half_width_stored`)."""

    def forwards(apps, schema_editor):
        for model_name, field, normalise in fields:
            left = half_width_stored(apps.get_model(app_label, model_name), field, normalise)
            if left:
                print(f"\n  {app_label}.{model_name}.{field}: typed in full width and also held in ASCII by another "
                      f"record, so left as typed (merge the two): ids {', '.join(map(str, left))}")

    return forwards


def mask_id_number(value: str | None) -> str:
    """420102************: only the region of issue stays. The birth date, the sequence and the check
    digit are all hidden, so a birth date or gender shown beside the mask cannot rebuild the number
    (about 500 candidates remain for a known birth date and gender)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 6)


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def make_id_number(
    rng: random.Random, region_code: str, born: dt.date, gender: str
) -> str:
    """A valid ID number for the demo district (region code of 6 digits)."""
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == "M" else (0, 2, 4, 6, 8))
    first17 = f"{region_code[:6]}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def mask_name(value: str | None) -> str:
    """张**: the family name stays, so the auditor can tell records apart without reading who they are."""
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_registry_no(value: str | None) -> str:
    """A 学籍号 of G and the ID number hides the same digits the ID number's mask hides."""
    if value and value[0] == "G" and len(value) == 19:
        return "G" + mask_id_number(value[1:])
    return value or ""
