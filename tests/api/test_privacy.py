"""The API shows personal data only masked and writes one audit entry per read of member data, naming the token and
the number of rows; nothing personal stays in a cache (no-store)."""

import json

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from lanshan_party.personal_data import mask_id_number, mask_phone
from members.models import Member
from tests.api.conftest import api_get

ADDRESSES = [
    ("api:v1:member_list", None),
    ("api:v1:member_detail", "member_id"),
    ("api:v1:outflow_list", None),
    ("api:v1:outflow_detail", "outflow_id"),
    ("api:v1:organization_list", None),
    ("api:v1:activity_list", None),
    ("api:v1:campaign_list", None),
]


def _every_response(world) -> list[str]:
    bodies = []
    for url_name, parameter in ADDRESSES:
        for pk in [world.yuan.pk, world.ma.pk] if parameter == "member_id" else [None]:
            if parameter == "outflow_id":
                pk = world.yuan_outflow.pk
            url = reverse(url_name, kwargs={parameter: pk}) if parameter else reverse(url_name)
            response = api_get(world.tokens["admin"], url, {"limit": 200})
            assert response.status_code == 200
            bodies.append(response.content.decode())
    return bodies


def test_no_response_holds_a_full_id_number_or_phone_and_members_carry_them_masked(world):
    bodies = _every_response(world)
    secrets = [value for member in Member.objects.all() for value in (member.id_number, member.phone) if value]
    assert len(secrets) >= 10
    for body in bodies:
        for secret in secrets:
            assert secret not in body
            assert secret not in json.loads(body).__repr__()
    listed = {item["id"]: item for item in json.loads(bodies[0])["items"]}
    yuan = listed[world.yuan.pk]
    assert yuan["id_number_masked"] == mask_id_number(world.yuan.id_number) and "*" in yuan["id_number_masked"]
    assert yuan["phone_masked"] == mask_phone(world.yuan.phone) and "*" in yuan["phone_masked"]
    assert yuan["birth_year"] == world.yuan.birth_date.year and "birth_date" not in yuan


def test_no_response_leaves_out_a_masked_field_under_another_name(world):
    item = api_get(world.tokens["admin"], reverse("api:v1:member_detail", kwargs={"member_id": world.yuan.pk})).json()
    assert not {"id_number", "phone", "birth_date", "address"} & set(item)


def _api_reads():
    return AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="api.apitoken")


def test_a_member_list_read_writes_one_audit_entry_naming_the_token_and_the_row_count(world):
    before = _api_reads().count()
    response = api_get(world.tokens["township"], reverse("api:v1:member_list"), {"limit": 2})
    assert response.status_code == 200
    entries = list(_api_reads().order_by("id")[before:])
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == world.township and entry.object_id == str(world.township_token.pk)
    assert entry.changes == {"rows": [None, 2], "masked": [None, True]}
    assert world.township_token.name in entry.note and "limit=2" in entry.note


@pytest.mark.parametrize(
    ("url_name", "kwargs", "audited"),
    [
        ("api:v1:member_list", {}, True),
        ("api:v1:member_detail", {"member_id": "yuan"}, True),
        ("api:v1:outflow_list", {}, True),
        ("api:v1:outflow_detail", {"outflow_id": "yuan_outflow"}, True),
        ("api:v1:organization_list", {}, False),
        ("api:v1:activity_list", {}, False),
        ("api:v1:campaign_list", {}, False),
    ],
)
def test_reads_of_member_data_are_audited_once_per_request_and_other_reads_are_not(world, url_name, kwargs, audited):
    kwargs = {key: getattr(world, value).pk for key, value in kwargs.items()}
    before = _api_reads().count()
    assert api_get(world.tokens["branch"], reverse(url_name, kwargs=kwargs)).status_code == 200
    assert _api_reads().count() - before == (1 if audited else 0)


def test_a_refused_request_writes_no_read_entry(world):
    before = _api_reads().count()
    api_get(None, reverse("api:v1:member_list"))
    api_get(world.tokens["branch"], reverse("api:v1:member_detail", kwargs={"member_id": world.ma.pk}))
    assert _api_reads().count() == before


def test_api_answers_are_not_kept_in_any_cache(world):
    response = api_get(world.tokens["admin"], reverse("api:v1:member_list"))
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in api_get(None, reverse("api:v1:member_list"))["Cache-Control"]
