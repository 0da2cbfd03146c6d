"""Bad input gets a defined answer, never a 500, and nothing is lost or silently overwritten."""

import pytest
from django.core.exceptions import FieldError
from django.test import Client
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member
from tests.conftest import login


def edit_data(member: Member, version: str, **changes: str) -> dict:
    data = {
        "name": member.name,
        "id_number": "",
        "phone": "",
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "ethnicity": member.ethnicity,
        "category": member.category,
        "standing": member.standing,
        "home_branch": member.home_branch_id,
        "version": version,
    }
    data.update(changes)
    return data


def test_an_edit_made_on_a_stale_page_is_refused_and_the_other_change_is_kept(county):
    url = reverse("members:member_update", args=[county.yuan.pk])
    alice, bob = login(county.admin), login(county.branch)
    alice_version = alice.get(url).context["form"].initial["version"]
    bob_version = bob.get(url).context["form"].initial["version"]

    assert alice.post(url, edit_data(county.yuan, alice_version, note="阿里斯的备注")).status_code == 302
    response = bob.post(url, edit_data(county.yuan, bob_version, note="鲍勃的备注"))

    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    county.yuan.refresh_from_db()
    assert county.yuan.note == "阿里斯的备注"


def test_a_request_body_over_the_limit_gets_the_bad_request_page(county, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = login(county.admin).post(reverse("members:member_create"), {"name": "张" * 2000, "note": "x" * 5000})

    assert response.status_code == 400
    assert "内容过大" in response.content.decode()
    assert not Member.objects.filter(name__startswith="张张").exists()


def test_a_page_number_past_the_end_shows_the_last_page_and_nonsense_the_first(county):
    client = login(county.admin)
    past_the_end = client.get(reverse("members:member_list"), {"page": 999})
    nonsense = client.get(reverse("members:member_list"), {"page": "abc"})

    assert past_the_end.status_code == nonsense.status_code == 200
    assert past_the_end.context["table"].page.number == past_the_end.context["table"].paginator.num_pages
    assert nonsense.context["table"].page.number == 1


@pytest.mark.parametrize(
    "params",
    [
        {"organization": "abc"},
        {"status": "nonsense"},
        {"tags": "9999"},
        {"sort": "no_such_column"},
        {"province": "火星"},
    ],
)
def test_nonsense_in_the_member_list_filters_is_answered_without_an_error(county, params):
    response = login(county.admin).get(reverse("members:member_list"), params)
    assert response.status_code == 200


def test_the_audit_log_refuses_bulk_changes_and_deletions(county):
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(note="改")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.exists()


def test_filtering_on_an_encrypted_column_is_an_error_not_an_empty_result(county):
    with pytest.raises(FieldError):
        list(Member.objects.filter(phone=county.yuan.phone))
    assert Member.objects.filter(phone__isnull=False).exists()


def test_a_form_posted_with_an_expired_csrf_token_explains_itself_and_saves_nothing(county):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county.admin)
    response = client.post(reverse("members:member_create"), {"name": "过期表单"})

    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
    assert not Member.objects.filter(name="过期表单").exists()


def test_a_username_longer_than_any_account_is_refused_in_chinese_before_anything_is_written(county):
    from axes.models import AccessAttempt, AccessFailureLog

    response = Client().post(reverse("login"), {"username": "a" * 300, "password": "whatever"})

    assert response.status_code == 200
    assert "用户名最多 150 个字符" in response.content.decode()
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_the_admin_login_refuses_an_over_long_username_the_same_way(county):
    from axes.models import AccessAttempt

    response = Client().post(reverse("admin:login"), {"username": "管" * 300, "password": "whatever"})

    assert response.status_code == 200
    assert "用户名最多 150 个字符" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_username_of_the_longest_allowed_length_is_still_checked_and_counted(county):
    from axes.models import AccessAttempt

    response = Client().post(reverse("login"), {"username": "a" * 150, "password": "whatever"})

    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert AccessAttempt.objects.filter(username="a" * 150).exists()


@pytest.mark.parametrize(("per_page", "expected"), [("-1", 1), ("100000", 200), ("abc", 50), ("30", 30)])
def test_a_list_page_holds_one_to_two_hundred_rows_whatever_per_page_says(county, per_page, expected):
    response = login(county.admin).get(reverse("members:member_list"), {"per_page": per_page, "page": "-5"})

    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == expected


def test_an_id_too_large_for_the_database_in_a_multiple_choice_filter_is_a_filter_error_not_a_500(county):
    response = login(county.admin).get(reverse("members:member_list"), {"tags": ["9" * 25, "-" + "9" * 25]})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["tags"]


def test_a_nul_byte_in_the_member_search_is_dropped_and_the_rest_is_searched(county):
    response = login(county.admin).get(reverse("members:member_search"), {"q": "袁\x00"})

    assert response.status_code == 200
    assert [member.name for member in response.context["members"]] == ["袁芳伟"]


@pytest.mark.parametrize("year", ["²", "①", "1\x00", "9" * 30, "9" * 5000, "-2026"])
def test_the_census_window_for_a_year_in_odd_digits_is_an_empty_answer(county, year):
    response = login(county.admin).get(reverse("members:campaign_window"), {"holiday": "spring_festival", "year": year})

    assert response.status_code == 200
    assert "name" not in response.context.flatten()


@pytest.mark.parametrize("member", ["²", "9" * 5000, "abc"])
def test_a_member_picked_by_something_that_is_no_id_is_refused_and_the_form_shown_again(county, member):
    response = login(county.admin).post(reverse("services:servicecase_create"), {"kind": "mediation", "member": member})

    assert response.status_code == 200
    assert response.context["form"].errors["member"]
