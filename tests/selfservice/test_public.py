"""党员找组织 without signing in: organizations and stations by city with a contact, a request that reaches the
secretary's queue (rate-limited, CSRF-protected); and the URL walk: every page an anonymous visitor can open is on the
allow-list and shows no personal data."""

import pytest
from django.test import Client
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member
from organizations.models import Station
from selfservice.models import OfficePhone, PublicRequest
from tests.conftest import login
from tests.factories import FlowingOrgFactory
from tests.test_urls import ALLOWLIST, SECRET_IN_PATH, _all_urls

REQUEST = {"name": "李建华", "phone": "13800138000", "home_township": "塔峰镇", "message": "想参加组织生活"}


@pytest.fixture
def public(county):
    county.huadu.secretary_name = "钟书记"
    county.huadu.address = "花都区新华街道商会大楼"
    county.huadu.contact_phone = "13911112222"  # a person's mobile: never on the public page
    county.huadu.save()
    OfficePhone.objects.create(organization=county.huadu, phone="020-86881234")
    Station.objects.create(organization=county.huadu, name="花都皮具城流动党员驿站", address="狮岭镇皮具城")
    FlowingOrgFactory(name="已撤销的驻广州流动党支部", parent=county.committee, city="广州市", is_active=False)
    return county


def test_the_page_lists_the_cities_with_flowing_organizations(public):
    page = Client().get(reverse("selfservice:find")).content.decode()
    assert "广州市" in page and "昆明市" in page
    assert "花都皮具城流动党员驿站" not in page  # nothing listed before a city is chosen


def test_a_city_shows_its_organizations_and_stations_with_the_secretary_and_the_published_office_phone(public):
    page = Client().get(reverse("selfservice:find"), {"city": "广州市"}).content.decode()
    assert public.huadu.name in page and "钟书记" in page and "020-86881234" in page
    assert "花都皮具城流动党员驿站" in page and "狮岭镇皮具城" in page
    assert "13911112222" not in page and "1391" not in page  # the organization's contact mobile is not published
    assert "已撤销的驻广州流动党支部" not in page and public.kunming.name not in page


def test_a_request_reaches_the_responsible_secretarys_queue_and_the_audit_log(public):
    response = Client().post(
        reverse("selfservice:find"), {"city": "广州市", "organization": public.huadu.pk, **REQUEST}
    )
    assert response.status_code == 302 and response["Location"] == reverse("selfservice:find_done")
    request = PublicRequest.objects.get()
    assert request.organization == public.huadu and request.phone == "13800138000" and request.ip == "127.0.0.1"
    assert AuditEntry.objects.filter(object_type="selfservice.publicrequest", action=AuditAction.CREATE).exists()
    assert "李建华" in login(public.secretary).get(reverse("selfservice:request_list")).content.decode()
    assert "李建华" not in login(public.outsider).get(reverse("selfservice:request_list")).content.decode()
    handled = login(public.secretary).post(
        reverse("selfservice:request_handle", args=[request.pk]), {"status": "handled", "note": "已电话联系"}
    )
    assert handled.status_code == 302
    request.refresh_from_db()
    assert request.status == "handled" and request.handled_by == public.secretary


def test_a_request_for_an_organization_of_another_city_or_without_a_phone_is_refused(public):
    client = Client()
    wrong_city = client.post(
        reverse("selfservice:find"), {"city": "广州市", "organization": public.kunming.pk, **REQUEST}
    )
    no_phone = client.post(
        reverse("selfservice:find"), {"city": "广州市", "organization": public.huadu.pk, **REQUEST, "phone": "12"}
    )
    assert wrong_city.status_code == 200 and wrong_city.context["form"].errors["organization"]
    assert no_phone.status_code == 200 and no_phone.context["form"].errors["phone"]
    assert not PublicRequest.objects.exists()


def test_requests_from_one_address_are_limited(public):
    client = Client()
    data = {"city": "广州市", "organization": public.huadu.pk, **REQUEST}
    statuses = [client.post(reverse("selfservice:find"), data).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429] and PublicRequest.objects.count() == 5


def test_a_request_without_the_csrf_token_is_refused(public):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("selfservice:find"), {"city": "广州市", "organization": public.huadu.pk, **REQUEST})
    assert response.status_code == 403 and not PublicRequest.objects.exists()


def _personal_data(county) -> list[str]:
    """Every member's name, ID number and phone, whole and as the masks show them."""
    values = []
    for member in Member.objects.all():
        values += [member.name, member.id_number, member.id_number[-4:], member.phone, member.phone[-4:]]
    return [value for value in values if value]


def test_every_page_an_anonymous_visitor_can_open_is_allowlisted_and_shows_no_personal_data(public):
    client = Client()
    personal = _personal_data(public)
    open_pages, leaks = [], []
    for path, name, _pattern in _all_urls():
        if (name or "").startswith("api:v1:"):
            continue  # a token, not a session: tests/test_urls.py proves each answers 401
        for query in ("", "?city=广州市"):
            response = client.get(path + query)
            if response.status_code == 302 and response["Location"].startswith(
                (reverse("login"), reverse("admin:login"))
            ):
                continue
            open_pages.append(name)
            body = response.content.decode(errors="replace")
            leaks += [f"{name}: {value}" for value in personal if value in body]
    assert set(open_pages) <= ALLOWLIST, set(open_pages) - ALLOWLIST
    assert {"selfservice:find", "selfservice:link"} <= set(open_pages)
    assert not leaks, leaks
    assert SECRET_IN_PATH <= ALLOWLIST
