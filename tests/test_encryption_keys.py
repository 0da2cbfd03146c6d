"""A missing encryption key never destroys data; keys rotate with a resumable command; bad keys fail the deploy check."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from lanshan_party.personal_data import Undecryptable, UndecryptableError, decrypt, mask_id_number, mask_phone
from members.models import Member
from tests.conftest import login
from tests.members.test_personal_data import member_post_data, raw_row

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def under_old_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]


def stored_tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_member ORDER BY id")
        return [token for row in cursor.fetchall() for token in row if token]


def test_a_value_no_configured_key_opens_reads_as_a_placeholder_that_masks_as_itself(under_old_key, county, settings):
    token = raw_row(county.yuan)[0]
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    value = decrypt(token)

    assert isinstance(value, Undecryptable) and value == "[无法解密]"
    assert mask_id_number(value) == "[无法解密]" and mask_phone(value) == "[无法解密]"


def test_saving_a_member_whose_id_number_cannot_be_decrypted_is_refused_and_the_ciphertext_kept(
    under_old_key, county, settings
):
    member = Member.objects.create(**{**_fields(county.yuan), "id_number": "431127199001011232"})
    before = raw_row(member)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key was lost from the configuration

    member = Member.objects.get(pk=member.pk)
    member.note = "ordinary edit"
    with pytest.raises(UndecryptableError), transaction.atomic():
        member.save()

    assert raw_row(member) == before


def test_an_ordinary_edit_through_the_form_is_refused_with_a_clear_message_and_nothing_is_written(
    under_old_key, county, settings
):
    yuan = county.yuan
    yuan.save()  # written under the old key
    before = raw_row(yuan)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    response = login(county.admin).post(
        reverse("members:member_update", args=[yuan.pk]), member_post_data(yuan, note="在花都务工")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "encryption key is missing" in str(errors["id_number"]) or "加密密钥" in str(errors["id_number"])
    assert raw_row(yuan) == before
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    assert Member.objects.get(pk=yuan.pk).id_number == yuan.id_number  # readable again once the key is back


def test_rotate_keys_re_encrypts_every_value_under_the_newest_key_and_a_second_run_changes_nothing(
    under_old_key, county, settings
):
    for member in Member.objects.all():
        member.save()
    plain = {m.pk: (m.id_number, m.phone) for m in Member.objects.all()}
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    out = io.StringIO()
    call_command("rotate_keys", batch_size=2, stdout=out)

    assert f"re-encrypted {len(stored_tokens())} values" in out.getvalue()
    new_only = Fernet(NEW_KEY.encode())
    assert all(new_only.decrypt(token.encode()) for token in stored_tokens())
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key can go now
    assert {m.pk: (m.id_number, m.phone) for m in Member.objects.all()} == plain

    again = io.StringIO()
    call_command("rotate_keys", stdout=again)
    assert "re-encrypted 0 values" in again.getvalue()


def test_rotate_keys_leaves_values_no_key_opens_untouched_and_says_a_key_is_missing(under_old_key, county, settings):
    county.yuan.save()
    lost = raw_row(county.yuan)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="a key is missing"):
        call_command("rotate_keys", stdout=io.StringIO())

    assert raw_row(county.yuan) == lost


def test_a_dry_run_counts_but_writes_nothing(under_old_key, county, settings):
    county.yuan.save()
    before = stored_tokens()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    out = io.StringIO()
    call_command("rotate_keys", dry_run=True, stdout=out)

    assert "would re-encrypt" in out.getvalue()
    assert stored_tokens() == before


def deploy_check_ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_the_deploy_check_refuses_the_development_secret_key(settings):
    settings.SECRET_KEY = "dev-only-secret-key-never-use-in-production-lanshan-431127"
    assert "lanshan.E001" in deploy_check_ids()


def test_the_deploy_check_refuses_a_malformed_encryption_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, "not-a-fernet-key"]
    settings.BLIND_INDEX_KEY = "k" * 40
    assert "lanshan.E003" in deploy_check_ids()


def test_the_deploy_check_refuses_a_short_blind_index_key_and_missing_encryption_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.BLIND_INDEX_KEY = "short"
    assert {"lanshan.E002", "lanshan.E005"} <= deploy_check_ids()


def test_real_keys_pass_the_deploy_check(settings):
    settings.SECRET_KEY = "x" * 60
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    settings.BLIND_INDEX_KEY = "b" * 43
    assert not {i for i in deploy_check_ids() if i.startswith("lanshan.")}


def _fields(member: Member) -> dict:
    return {
        "name": "测试党员",
        "home_branch": member.home_branch,
        "gender": member.gender,
        "birth_date": member.birth_date,
        "phone": "13975412345",
    }
