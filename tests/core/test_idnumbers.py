import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaoguan.core.idnumbers import (
    check_char,
    half_width,
    id_number_problems,
    make_id_number,
    mask_id_number,
    mask_phone,
    normalise_code,
    normalise_id_number,
)

dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2024, 12, 31))
areas = st.integers(100_000, 899_999).map(str)  # [1-8] and five digits, without a regex strategy to build
genders = st.sampled_from("MF")


def test_check_digit_of_a_published_example():
    # The worked example of GB 11643-1999: 11010519491231002X.
    assert check_char("11010519491231002") == "X"
    assert id_number_problems("11010519491231002X") == []


@given(area=areas, born=dates, gender=genders, seed=st.integers(0, 2**32))
def test_generated_numbers_are_valid_and_consistent(area, born, gender, seed):
    number = make_id_number(random.Random(seed), area, born, gender)
    assert len(number) == 18
    assert id_number_problems(number, birth_date=born, gender=gender) == []


@given(area=areas, born=dates, gender=genders, seed=st.integers(0, 2**32), position=st.integers(0, 16),
       delta=st.integers(1, 9))
def test_any_single_digit_changed_is_refused(area, born, gender, seed, position, delta):
    number = make_id_number(random.Random(seed), area, born, gender)
    digit = (int(number[position]) + delta) % 10
    broken = number[:position] + str(digit) + number[position + 1:]
    assert id_number_problems(broken) != []


@given(area=areas, born=dates, gender=genders, seed=st.integers(0, 2**32))
def test_mismatched_birth_date_or_gender_is_refused(area, born, gender, seed):
    number = make_id_number(random.Random(seed), area, born, gender)
    other_day = born + dt.timedelta(days=1)
    assert "The ID number does not match the birth date." in id_number_problems(number, birth_date=other_day)
    other_gender = "F" if gender == "M" else "M"
    assert "The ID number does not match the gender." in id_number_problems(number, gender=other_gender)


@settings(max_examples=200)
@given(st.text(max_size=25))
def test_arbitrary_text_never_crashes_and_short_text_is_refused(text):
    problems = id_number_problems(text)
    if len(text) != 18:
        assert problems == ["The ID number must have 18 characters."]


def test_impossible_birth_date_is_refused():
    first17 = "42010220230230001"  # 30 February
    assert "The ID number does not contain a real birth date." in id_number_problems(first17 + check_char(first17))


def test_mask_keeps_only_the_region_so_a_birth_date_beside_it_cannot_rebuild_it():
    assert mask_id_number("420102199001011234") == "420102************"
    assert mask_phone("13907910001") == "139****0001"
    assert mask_id_number("") == "" and mask_phone(None) == ""


FULL = str.maketrans("0123456789GX", "０１２３４５６７８９ＧＸ")


def test_a_number_typed_in_full_width_is_the_same_number():
    """A Chinese input method types ３６０１… unless switched to half width: read as ASCII, so the number is
    one key whichever way it was typed."""
    number = "11010519491231002X"
    assert normalise_id_number(" " + number.translate(FULL) + "\u3000") == number
    assert normalise_code("ｇ" + number.translate(FULL)) == "G" + number
    assert half_width("３６０１０２（一）") == "360102(一)"  # letters, digits and signs; Chinese untouched


@pytest.mark.parametrize("digits", ["١١٠١٠٥١٩٤٩١٢٣١٠٠٢", "¹¹⁰¹⁰⁵¹⁹⁴⁹¹²³¹⁰⁰²", "𝟏𝟏𝟎𝟏𝟎𝟓𝟏𝟗𝟒𝟗𝟏𝟐𝟑𝟏𝟎𝟎𝟐"])
def test_digits_of_other_scripts_are_refused_not_stored(digits):
    """Python's isdigit and int accept Arabic-Indic, superscript and mathematical digits; an ID number is 17
    ASCII digits and a digit or X."""
    assert id_number_problems(digits + "X") == ["The ID number must be 17 digits followed by a digit or X."]
    assert id_number_problems("11010519491231002" + digits[0]) == [
        "The ID number must be 17 digits followed by a digit or X."]
