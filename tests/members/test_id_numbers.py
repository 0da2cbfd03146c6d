"""Citizen ID numbers and phones as a user types them into the member form."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.forms import MemberForm
from members.models import Member
from tests.conftest import login
from tests.factories import (
    MemberFactory,
    check_digit,
    make_id_number,
    make_id_number_ending_in_x,
    with_wrong_check_digit,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
MALE_ID = make_id_number(7, datetime.date(1978, 9, 3), male=True)


def member_data(county, **overrides):
    data = {
        "name": "雷小军",
        "id_number": MALE_ID,
        "gender": "",
        "birth_date": "",
        "ethnicity": "瑶族",
        "phone": "18707280104",
        "education": "",
        "category": "full",
        "standing": "normal",
        "home_branch": county.huaguo.pk,
        "note": "",
    }
    data.update(overrides)
    return data


def make_form(county, **overrides):
    return MemberForm(member_data(county, **overrides), user=county.branch)


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


def body_with_check_digit(body17):
    return body17 + check_digit(body17)


# ---------------------------------------------------------------- valid numbers


def test_it_accepts_a_valid_id_number_and_saves_the_member(county):
    response = login(county.branch).post(reverse("members:member_create"), member_data(county))

    member = Member.objects.get(name="雷小军")
    assert response.status_code == 302
    assert response.url == member.get_absolute_url()
    assert member.id_number == MALE_ID
    assert member.home_branch == county.huaguo


def test_it_normalizes_a_lowercase_x_and_spaces_before_saving(county):
    number = make_id_number_ending_in_x(datetime.date(1960, 3, 21), male=False)
    typed = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    assert typed.strip() != number

    response = login(county.branch).post(reverse("members:member_create"), member_data(county, id_number=typed))

    assert response.status_code == 302
    member = Member.objects.get(name="雷小军")
    assert member.id_number == number
    assert member.id_number.endswith("X")
    assert " " not in member.id_number


def test_it_derives_gender_and_birth_date_from_the_id_when_left_empty(county):
    female_id = make_id_number(8, datetime.date(1991, 12, 30), male=False)
    form = make_form(county, id_number=female_id, gender="", birth_date="")

    assert form.is_valid(), form.errors
    member = form.save()
    member.refresh_from_db()
    assert member.gender == "F"
    assert member.birth_date == datetime.date(1991, 12, 30)


def test_it_accepts_gender_and_birth_date_typed_to_match_the_id(county):
    form = make_form(county, gender="M", birth_date="1978-09-03")

    assert form.is_valid(), form.errors


# ---------------------------------------------------------------- invalid numbers


def test_it_rejects_a_wrong_check_digit(county):
    form = make_form(county, id_number=with_wrong_check_digit(MALE_ID))

    assert not form.is_valid()
    assert error_codes(form, "id_number") == ["checksum"]


def test_it_rejects_an_impossible_birth_date_inside_the_id(county):
    form = make_form(county, id_number=body_with_check_digit("43112719990230001"))

    assert not form.is_valid()
    assert error_codes(form, "id_number") == ["birth_date"]


def test_it_rejects_a_birth_date_in_the_future_inside_the_id(county):
    future = timezone.localdate() + datetime.timedelta(days=400)
    form = make_form(county, id_number=body_with_check_digit(f"431127{future:%Y%m%d}001"))

    assert not form.is_valid()
    assert error_codes(form, "id_number") == ["birth_date"]


@pytest.mark.parametrize("number", [MALE_ID[:17], MALE_ID + "1"], ids=["17 digits", "19 digits"])
def test_it_rejects_an_id_of_the_wrong_length(county, number):
    form = make_form(county, id_number=number)

    assert not form.is_valid()
    assert error_codes(form, "id_number") == ["length"]


def test_it_rejects_letters_inside_the_id(county):
    form = make_form(county, id_number="43112719780903A15" + "1")

    assert not form.is_valid()
    assert error_codes(form, "id_number") == ["format"]


def test_it_rejects_an_empty_id(county):
    form = make_form(county, id_number="")

    assert not form.is_valid()
    assert "id_number" in form.errors


def test_it_rejects_the_id_of_an_existing_member(county):
    form = make_form(county, id_number=county.yuan.id_number)

    assert not form.is_valid()
    assert "id_number" in form.errors
    assert Member.objects.filter(name="雷小军").count() == 0


def test_it_rejects_a_duplicate_typed_in_lowercase_with_spaces(county):
    number = make_id_number_ending_in_x(datetime.date(1960, 3, 21), male=False)
    MemberFactory(
        name="唐秀英", gender="F", birth_date=datetime.date(1960, 3, 21), id_number=number, home_branch=county.huaguo
    )
    typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"

    form = make_form(county, id_number=typed)

    assert not form.is_valid()
    assert "id_number" in form.errors


def test_it_rejects_a_duplicate_posted_to_the_create_view(county):
    response = login(county.branch).post(
        reverse("members:member_create"), member_data(county, id_number=f"  {county.yuan.id_number.lower()}  ")
    )

    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert Member.objects.filter(id_number_hash=county.yuan.id_number_hash).count() == 1


def test_editing_a_member_keeps_its_own_id_without_calling_it_a_duplicate(county):
    yuan = county.yuan
    data = member_data(
        county,
        name=yuan.name,
        id_number=yuan.id_number,
        gender=yuan.gender,
        birth_date=str(yuan.birth_date),
        version=Member.objects.get(pk=yuan.pk).updated_at.isoformat(),
    )
    form = MemberForm(data, instance=yuan, user=county.branch)

    assert form.is_valid(), form.errors


def test_it_rejects_a_gender_that_does_not_match_the_id(county):
    form = make_form(county, gender="F")  # MALE_ID has an odd 17th digit

    assert not form.is_valid()
    assert "gender" in form.errors
    assert "id_number" not in form.errors


def test_it_rejects_a_birth_date_that_does_not_match_the_id(county):
    form = make_form(county, birth_date="1978-09-04")

    assert not form.is_valid()
    assert "birth_date" in form.errors
    assert "id_number" not in form.errors


def test_a_mismatch_posted_to_the_view_saves_nothing(county):
    response = login(county.branch).post(reverse("members:member_create"), member_data(county, gender="F"))

    assert response.status_code == 200
    assert "gender" in response.context["form"].errors
    assert not Member.objects.filter(name="雷小军").exists()


def test_form_errors_are_in_chinese(county):
    """Needs the zh_Hans catalog compiled (locale/zh_Hans/LC_MESSAGES/django.mo)."""
    response = login(county.branch).post(
        reverse("members:member_create"), member_data(county, id_number=with_wrong_check_digit(MALE_ID))
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["id_number"]
    assert message in response.content.decode()
    assert CJK.search(message), f"ID error shown in English: {message!r}"


# ---------------------------------------------------------------- phones


def test_it_rejects_a_phone_that_is_too_short(county):
    form = make_form(county, phone="12345")

    assert not form.is_valid()
    assert "phone" in form.errors


def test_it_rejects_a_phone_that_is_not_a_number(county):
    form = make_form(county, phone="请联系村委")

    assert not form.is_valid()
    assert "phone" in form.errors


def test_it_normalizes_a_spaced_mobile_number(county):
    form = make_form(county, phone="187 0728 0104")

    assert form.is_valid(), form.errors
    assert form.save().phone == "18707280104"


def test_it_accepts_a_landline_with_its_area_code(county):
    form = make_form(county, phone="0746-7221234")

    assert form.is_valid(), form.errors
    member = form.save()
    member.refresh_from_db()
    assert member.phone == "07467221234"


def test_it_accepts_an_empty_phone(county):
    form = make_form(county, phone="")

    assert form.is_valid(), form.errors
    member = form.save()
    assert member.phone == ""
    assert member.phone_hash == ""
