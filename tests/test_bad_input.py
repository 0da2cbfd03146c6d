"""Bad input gets a defined answer, never a 500, and nothing is lost or silently overwritten."""

import pytest
from django.core.exceptions import FieldError
from django.urls import reverse

from lanshan_party.models import AuditEntry
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
