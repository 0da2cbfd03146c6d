"""ID numbers and phones: encrypted at rest, masked on every page, revealed only with a logged reason."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member
from tests.conftest import login
from tests.factories import make_id_number

NEW_ID = make_id_number(12, male=True)
NEW_PHONE = "13975412345"


def raw_row(member):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM members_member WHERE id = %s", [member.pk]
        )
        return cursor.fetchone()


def masked_id(number):
    return number[:6] + "*" * 8 + number[-4:]


def masked_phone(phone):
    return phone[:3] + "****" + phone[-4:]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def member_post_data(member, **overrides):
    data = {
        "name": member.name,
        "id_number": "",
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "ethnicity": member.ethnicity,
        "phone": "",
        "education": member.education,
        "category": member.category,
        "standing": member.standing,
        "home_branch": member.home_branch_id,
        "note": member.note,
        # the edit page carries the version it was opened on (refused as stale otherwise)
        "version": Member.objects.get(pk=member.pk).updated_at.isoformat(),
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- at rest


def test_it_stores_the_id_number_and_phone_encrypted(county):
    yuan = county.yuan
    id_cipher, phone_cipher, _id_hash, _phone_hash = raw_row(yuan)

    assert yuan.id_number not in id_cipher
    assert yuan.phone not in phone_cipher
    assert id_cipher != phone_cipher
    assert Member.objects.get(pk=yuan.pk).id_number == yuan.id_number  # and still decrypts


def test_it_stores_a_blind_index_rather_than_the_plaintext(county):
    yuan = county.yuan
    _id_cipher, _phone_cipher, id_hash, phone_hash = raw_row(yuan)

    for value, digest in ((yuan.id_number, id_hash), (yuan.phone, phone_hash)):
        assert len(digest) == 64
        int(digest, 16)  # hex
        assert digest != value
        assert value not in digest
    assert id_hash != phone_hash


def test_it_encrypts_the_same_value_differently_each_time(county):
    """Fernet ciphertexts are randomized, so equal values cannot be spotted in the table."""
    from lanshan_party.personal_data import encrypt

    assert encrypt(county.yuan.id_number) != encrypt(county.yuan.id_number)


# ---------------------------------------------------------------- masked on pages


def test_the_detail_page_shows_masked_values_only(county):
    yuan = county.yuan
    html = page(login(county.admin), yuan.get_absolute_url())

    assert masked_id(yuan.id_number) in html
    assert masked_phone(yuan.phone) in html
    assert yuan.id_number not in html
    assert yuan.phone not in html


def test_the_member_list_shows_masked_values_only(county):
    html = page(login(county.admin), reverse("members:member_list"))

    for member in (county.yuan, county.qin, county.ma):
        assert masked_id(member.id_number) in html
        assert masked_phone(member.phone) in html
        assert member.id_number not in html
        assert member.phone not in html


def test_the_edit_form_does_not_contain_the_full_id_or_phone(county):
    yuan = county.yuan
    html = page(login(county.branch), reverse("members:member_update", args=[yuan.pk]))

    assert yuan.id_number not in html
    assert yuan.phone not in html
    assert masked_id(yuan.id_number) in html  # the help text says what is stored


def test_leaving_id_and_phone_blank_when_editing_keeps_the_stored_values(county):
    yuan = county.yuan
    response = login(county.branch).post(
        reverse("members:member_update", args=[yuan.pk]), member_post_data(yuan, note="在花都务工")
    )

    assert response.status_code == 302
    stored = Member.objects.get(pk=yuan.pk)
    assert stored.note == "在花都务工"
    assert stored.id_number == yuan.id_number
    assert stored.phone == yuan.phone
    assert stored.id_number_hash == yuan.id_number_hash
    assert stored.phone_hash == yuan.phone_hash


def test_typing_a_new_phone_when_editing_replaces_it(county):
    yuan = county.yuan
    response = login(county.branch).post(
        reverse("members:member_update", args=[yuan.pk]), member_post_data(yuan, phone="139 7541 2345")
    )

    assert response.status_code == 302
    assert Member.objects.get(pk=yuan.pk).phone == NEW_PHONE


# ---------------------------------------------------------------- reveal


def test_a_user_allowed_to_reveal_sees_the_full_values_and_it_is_logged(county):
    yuan = county.yuan
    response = login(county.admin).post(
        reverse("members:member_reveal", args=[yuan.pk]), {"reason": "核对组织关系转接材料"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert yuan.id_number in html
    assert yuan.phone in html
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert entry.actor == county.admin
    assert entry.actor_name == "admin"
    assert entry.object_type == "members.member"
    assert entry.object_id == str(yuan.pk)
    assert entry.object_repr == yuan.name
    assert entry.note == "核对组织关系转接材料"
    assert entry.ip == "127.0.0.1"


def test_reveal_works_through_htmx_too(county):
    yuan = county.yuan
    response = login(county.admin).post(
        reverse("members:member_reveal", args=[yuan.pk]), {"reason": "电话联系本人"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert yuan.id_number in response.content.decode()
    assert "<html" not in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL).count() == 1


def test_a_reason_shorter_than_four_characters_is_refused_and_not_logged(county):
    yuan = county.yuan
    response = login(county.admin).post(reverse("members:member_reveal", args=[yuan.pk]), {"reason": "核对"})

    assert response.status_code == 200
    assert "reason" in response.context["reveal_form"].errors
    html = response.content.decode()
    assert yuan.id_number not in html
    assert yuan.phone not in html
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_a_user_without_may_reveal_gets_403_and_nothing_is_logged(county):
    yuan = county.yuan
    response = login(county.branch).post(
        reverse("members:member_reveal", args=[yuan.pk]), {"reason": "想看一下完整号码"}
    )

    assert response.status_code == 403
    assert yuan.id_number not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_reveal_form_is_only_offered_to_users_allowed_to_reveal(county):
    url = reverse("members:member_reveal", args=[county.yuan.pk])

    assert url in page(login(county.admin), county.yuan.get_absolute_url())
    assert url not in page(login(county.branch), county.yuan.get_absolute_url())


def test_reveal_is_refused_for_a_member_outside_the_users_scope(county):
    county.outsider.may_reveal = True
    county.outsider.save()

    response = login(county.outsider).post(
        reverse("members:member_reveal", args=[county.yuan.pk]), {"reason": "核对身份信息"}
    )

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_reveal_does_not_answer_get(county):
    response = login(county.admin).get(reverse("members:member_reveal", args=[county.yuan.pk]))

    assert response.status_code == 405
    assert county.yuan.id_number not in response.content.decode()


# ---------------------------------------------------------------- the audit log keeps masked values


def test_audit_entries_for_member_create_and_update_hold_masked_values_only(county):
    client = login(county.branch)
    create = {
        **member_post_data(county.yuan, name="雷小军", id_number=NEW_ID, phone=NEW_PHONE),
        "gender": "",
        "birth_date": "",
    }
    assert client.post(reverse("members:member_create"), create).status_code == 302
    member = Member.objects.get(name="雷小军")
    new_id = make_id_number(13, male=True)
    update = member_post_data(member, id_number=new_id, phone="18600001111", birth_date="")
    response = client.post(reverse("members:member_update", args=[member.pk]), update)
    assert response.status_code == 302, response.context["form"].errors

    entries = AuditEntry.objects.filter(object_type="members.member", object_id=str(member.pk))
    created = entries.get(action=AuditAction.CREATE)
    updated = entries.get(action=AuditAction.UPDATE)
    assert created.changes["id_number"] == [None, masked_id(NEW_ID)]
    assert created.changes["phone"] == [None, masked_phone(NEW_PHONE)]
    assert updated.changes["id_number"] == [masked_id(NEW_ID), masked_id(new_id)]
    assert updated.changes["phone"] == [masked_phone(NEW_PHONE), "186****1111"]
    everything = json.dumps([entry.changes for entry in AuditEntry.objects.all()], ensure_ascii=False)
    everything += " ".join(AuditEntry.objects.values_list("note", flat=True))
    for plaintext in (NEW_ID, new_id, NEW_PHONE, "18600001111", member.id_number_hash):
        assert plaintext not in everything


def test_no_audit_entry_anywhere_holds_a_plaintext_id_or_phone(county):
    everything = json.dumps(list(AuditEntry.objects.values("changes", "note", "object_repr")), ensure_ascii=False)

    for member in Member.objects.all():
        assert member.id_number not in everything
        assert member.phone not in everything


# ---------------------------------------------------------------- search


def search(user, text):
    response = login(user).get(reverse("members:member_list"), {"q": text})
    assert response.status_code == 200
    return sorted(member.name for member in response.context["filter"].qs)


def test_search_by_full_id_number_finds_the_member(county):
    assert search(county.admin, county.yuan.id_number) == ["袁芳伟"]


def test_search_by_id_number_typed_with_spaces_and_lowercase_finds_the_member(county):
    number = county.ma.id_number
    assert search(county.admin, f" {number[:6]} {number[6:].lower()} ") == ["马云"]


def test_search_by_phone_finds_the_member(county):
    phone = county.qin.phone
    assert search(county.admin, phone) == ["覃文英"]
    assert search(county.admin, f"{phone[:3]} {phone[3:7]} {phone[7:]}") == ["覃文英"]


def test_search_by_name_substring_finds_the_member(county):
    assert search(county.admin, "芳") == ["袁芳伟"]


def test_search_by_part_of_an_id_number_finds_nothing(county):
    assert search(county.admin, county.yuan.id_number[:10]) == []


def test_search_stays_inside_the_users_scope(county):
    assert search(county.branch, county.ma.id_number) == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("154 1234 6471", "15412346471"),  # prefixes newer than the phone library's allocation table
        ("17912345749", "17912345749"),
        ("17955005569", "17955005569"),  # 1795x and 1798x look like carrier-selection prefixes to the library
        ("17980002570", "17980002570"),
        ("+86 174-1234-3153", "17412343153"),
        ("0746-7221234", "07467221234"),  # a Yongzhou landline keeps its area code
    ],
)
def test_any_eleven_digit_mobile_and_a_landline_with_area_code_are_accepted(typed, stored):
    from lanshan_party.personal_data import normalize_phone

    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "10012345678", "1234567890123", "电话"])
def test_what_is_not_a_phone_number_is_refused_in_chinese(typed):
    from django.core.exceptions import ValidationError

    from lanshan_party.personal_data import normalize_phone

    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert "电话号码" in error.value.messages[0]
