"""Dual-management agreements (双向共管协议): who sees them, their forms, renewal dates and the demo's.
Their signed copies are in test_agreement_scans.py.

The Huadu agreement covers the Huadu flowing organization, so it is inside the subtree of the county-level
roles and of the Huadu secretary; the Kunming agreement is inside only for the county-level roles. The
township (塔峰镇), branch (花果村) and outsider (总市村) have no flowing organization and see no agreement.
"""

import datetime
import random
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import AuditAction, AuditEntry, User
from lanshan_party.uploads import sniff
from organizations import demo
from organizations.models import Agreement, AgreementStatus, Organization
from tests.conftest import login
from tests.factories import FlowingOrgFactory
from tests.organizations.factories_agreements import (
    PDF,
    AgreementFactory,
    agreement_data,
    download,
    edit_data,
    upload,
)

TODAY = datetime.date(2026, 3, 15)


# ---------------------------------------------------------------------------------------------------
# The permission matrix: one row per page and agreement, one column per role.

ROLES = ("admin", "county", "township", "secretary", "branch", "outsider")
PERSONA = dict(zip(ROLES, ("admin", "county_staff", "township", "secretary", "branch", "outsider"), strict=True))
ROLE_AS_WORDS = {
    "admin": "an_administrator",
    "county": "county_staff",
    "township": "a_township_officer",
    "secretary": "the_huadu_secretary",
    "branch": "a_branch_secretary",
    "outsider": "another_villages_secretary",
}

#                                                           admin county township secretary branch outsider
EXPECTED: dict[tuple[str, str | None], tuple[int, ...]] = {
    ("the_agreement_list", None):                          (200,  200,   200,     200,      200,   200),
    ("the_page_of", "huadu_agreement"):                    (200,  200,   404,     200,      404,   404),
    ("the_page_of", "kunming_agreement"):                  (200,  200,   404,     404,      404,   404),
    ("the_signed_copy_of", "huadu_agreement"):             (200,  200,   404,     200,      404,   404),
    ("the_signed_copy_of", "kunming_agreement"):           (200,  200,   404,     404,      404,   404),
    ("the_new_agreement_form", None):                      (200,  200,   403,     403,      403,   403),
    ("saving_the_new_agreement_form", None):               (302,  302,   403,     403,      403,   403),
    ("the_edit_form_of", "huadu_agreement"):               (200,  200,   403,     403,      403,   403),
    ("the_edit_form_of", "kunming_agreement"):             (200,  200,   403,     403,      403,   403),
    ("saving_the_edit_form_of", "huadu_agreement"):        (302,  302,   403,     403,      403,   403),
}  # fmt: skip

PAGES = {
    "the_agreement_list": ("get", "organizations:agreement_list"),
    "the_page_of": ("get", "organizations:agreement_detail"),
    "the_signed_copy_of": ("get", "organizations:agreement_scan"),
    "the_new_agreement_form": ("get", "organizations:agreement_create"),
    "saving_the_new_agreement_form": ("post", "organizations:agreement_create"),
    "the_edit_form_of": ("get", "organizations:agreement_update"),
    "saving_the_edit_form_of": ("post", "organizations:agreement_update"),
}


def _matrix_cells() -> list[Any]:
    cells = []
    for (page, target), statuses in EXPECTED.items():
        for role, status in zip(ROLES, statuses, strict=True):
            about = f"_the_{target}" if target else ""
            cells.append(
                pytest.param(role, page, target, status, id=f"{ROLE_AS_WORDS[role]}_gets_{status}_for_{page}{about}")
            )
    return cells


@pytest.mark.parametrize(("role", "page", "target", "expected"), _matrix_cells())
def test_permission_matrix(world: SimpleNamespace, role: str, page: str, target: str | None, expected: int) -> None:
    method, url_name = PAGES[page]
    obj = getattr(world, target) if target else None
    url = reverse(url_name, args=[obj.pk] if obj else [])
    data = {}
    if method == "post":
        data = edit_data(world, obj, note="由权限矩阵测试修改") if obj else agreement_data(world)
    agreements_before = Agreement.objects.count()

    response = getattr(login(getattr(world, PERSONA[role])), method)(url, data)
    if response.streaming:  # a signed copy is an open file until it is read to the end
        b"".join(response.streaming_content)

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if page == "saving_the_new_agreement_form":
        assert Agreement.objects.count() == agreements_before + (1 if expected == 302 else 0)
    if page == "saving_the_edit_form_of":
        obj.refresh_from_db()
        assert (obj.note == "由权限矩阵测试修改") == (expected == 302)


def test_an_outside_agreement_is_a_404_for_another_flowing_organizations_secretary(world):
    client = login(world.kunming_secretary)
    assert client.get(world.huadu_agreement.get_absolute_url()).status_code == 404
    assert client.get(world.kunming_agreement.get_absolute_url()).status_code == 200
    assert download(world.kunming_secretary, world.huadu_agreement).status_code == 404
    assert download(world.kunming_secretary, world.kunming_agreement).status_code == 200


# ---------------------------------------------------------------------------------------------------
# Who sees which agreement.


def _listed(response: Any) -> list[str]:
    return sorted(row.record.counterpart for row in response.context["table"].paginated_rows)


def test_the_huadu_secretary_lists_only_the_agreements_covering_huadu(world):
    response = login(world.secretary).get(reverse("organizations:agreement_list"))
    assert _listed(response) == sorted(["中共广州市花都区委组织部", "中共广州市花都区狮岭镇委员会"])
    assert "中共昆明市官渡区委组织部" not in response.content.decode()


@pytest.mark.parametrize("persona", ["township", "branch", "outsider"])
def test_users_without_a_flowing_organization_list_no_agreement(world, persona):
    response = login(getattr(world, persona)).get(reverse("organizations:agreement_list"))
    assert response.status_code == 200
    assert _listed(response) == []
    assert not Agreement.objects.visible_to(getattr(world, persona)).exists()


@pytest.mark.parametrize("persona", ["admin", "county_staff"])
def test_county_level_users_list_every_agreement_even_a_draft_covering_nothing(world, persona):
    draft = AgreementFactory(counterpart="中共海口市龙华区委组织部", status=AgreementStatus.DRAFT)
    response = login(getattr(world, persona)).get(reverse("organizations:agreement_list"))
    assert len(_listed(response)) == 4
    assert draft.counterpart in _listed(response)


def test_an_agreement_covering_two_organizations_of_a_subtree_is_listed_once(world):
    # Two flowing organizations set up by 塔峰镇 itself, both under one agreement.
    first = FlowingOrgFactory(name="中共蓝山县塔峰镇驻狮岭流动党员支部委员会", parent=world.tafeng)
    second = FlowingOrgFactory(name="中共蓝山县塔峰镇驻新华流动党员支部委员会", parent=world.tafeng)
    both = AgreementFactory(counterpart="中共广州市花都区狮岭镇党委", covers=[first, second])

    visible = Agreement.objects.visible_to(world.township)
    assert list(visible) == [both]
    assert visible.count() == 1
    assert _listed(login(world.township).get(reverse("organizations:agreement_list"))) == [both.counterpart]


def test_a_disabled_or_signed_out_user_sees_no_agreement(world):
    world.admin.is_active = False
    assert not Agreement.objects.visible_to(world.admin).exists()
    assert not Agreement.objects.visible_to(AnonymousUser()).exists()


def test_the_huadu_secretary_sees_the_huadu_agreement_but_not_the_names_of_other_covered_organizations(world):
    world.huadu_agreement.covered_organizations.add(world.kunming)
    response = login(world.secretary).get(world.huadu_agreement.get_absolute_url())
    page = response.content.decode()
    assert world.huadu.name in page
    assert world.kunming.name not in page
    assert response.context["covered_elsewhere"] == 1  # said as a number only
    list_page = login(world.secretary).get(reverse("organizations:agreement_list")).content.decode()
    assert world.kunming.display_name not in list_page

    admin_page = login(world.admin).get(world.huadu_agreement.get_absolute_url()).content.decode()
    assert world.kunming.name in admin_page  # so the check above can fail


def test_the_covered_organization_filter_offers_only_the_users_flowing_organizations(world):
    response = login(world.secretary).get(reverse("organizations:agreement_list"))
    offered = set(response.context["filter"].form.fields["covered"].queryset)
    assert offered == {world.huadu}

    outside = login(world.secretary).get(reverse("organizations:agreement_list"), {"covered": world.kunming.pk})
    assert "covered" in outside.context["filter"].form.errors
    assert "中共昆明市官渡区委组织部" not in outside.content.decode()


def test_filtering_by_status_province_and_covered_organization(world):
    client = login(world.admin)
    url = reverse("organizations:agreement_list")
    assert _listed(client.get(url, {"province": "云南省"})) == ["中共昆明市官渡区委组织部"]
    assert _listed(client.get(url, {"covered": world.kunming.pk})) == ["中共昆明市官渡区委组织部"]
    world.kunming_agreement.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    world.kunming_agreement.save()
    assert _listed(client.get(url, {"status": "expired"})) == ["中共昆明市官渡区委组织部"]
    assert "中共昆明市官渡区委组织部" not in _listed(client.get(url, {"status": "in_force"}))


# ---------------------------------------------------------------------------------------------------
# Status and renewal dates.


def _in_force_until(days: int, **kwargs: Any) -> Agreement:
    kwargs.setdefault("counterpart", f"到期{days}天")
    return AgreementFactory(
        valid_from=TODAY - datetime.timedelta(days=700), valid_to=TODAY + datetime.timedelta(days=days), **kwargs
    )


def test_expiring_takes_agreements_in_force_ending_within_60_days_including_today_and_the_60th_day(db):
    for days in (-1, 0, 1, 59, 60, 61, 400):
        _in_force_until(days)
    _in_force_until(30, status=AgreementStatus.DRAFT, counterpart="草案")
    _in_force_until(30, status=AgreementStatus.TERMINATED, counterpart="已终止")
    _in_force_until(30, status=AgreementStatus.EXPIRED, counterpart="已失效")

    expiring = Agreement.objects.expiring(today=TODAY)
    assert sorted(a.counterpart for a in expiring) == ["到期0天", "到期1天", "到期59天", "到期60天"]
    assert [a.counterpart for a in Agreement.objects.expiring(days=1, today=TODAY).order_by("valid_to")] == [
        "到期0天",
        "到期1天",
    ]


def test_in_force_and_expired_treat_an_agreement_past_its_end_date_as_expired(db):
    past = _in_force_until(-1)
    current = _in_force_until(0)
    marked = _in_force_until(30, status=AgreementStatus.EXPIRED, counterpart="已失效")

    assert set(Agreement.objects.in_force(today=TODAY)) == {current}
    assert set(Agreement.objects.expired(today=TODAY)) == {past, marked}
    assert set(Agreement.objects.with_status(AgreementStatus.EXPIRED, today=TODAY)) == {past, marked}
    assert past.current_status(TODAY) == AgreementStatus.EXPIRED
    assert current.current_status(TODAY) == AgreementStatus.IN_FORCE


def test_the_list_shows_how_many_agreements_expire_soon_and_a_badge_on_each(world):
    today = timezone.localdate()
    soon = AgreementFactory(
        counterpart="中共文昌市委组织部", valid_to=today + datetime.timedelta(days=40), covers=[world.huadu]
    )
    response = login(world.secretary).get(reverse("organizations:agreement_list"))

    assert response.context["expiring_count"] == 1
    html = response.content.decode()
    assert "?expiring=on" in html
    assert html.count("btn-warning") == 1  # the count at the top …
    assert html.count("text-bg-warning") == 1  # … and the badge on the row
    assert "40" in html
    filtered = login(world.secretary).get(reverse("organizations:agreement_list"), {"expiring": "on"})
    assert _listed(filtered) == [soon.counterpart]


def test_the_expiring_card_lists_counterpart_end_date_days_left_and_a_link(world):
    today = timezone.localdate()
    soon = AgreementFactory(counterpart="中共文昌市委组织部", valid_to=today + datetime.timedelta(days=12))
    html = render_to_string(
        "organizations/includes/expiring_agreements.html",
        {"expiring_agreements": Agreement.objects.visible_to(world.admin).expiring().order_by("valid_to")},
    )
    assert "中共文昌市委组织部" in html
    assert f"{soon.valid_to:%Y-%m-%d}" in html
    assert "12" in html
    assert soon.get_absolute_url() in html
    assert "中共广州市花都区委组织部" not in html  # a year to go
    assert (
        render_to_string("organizations/includes/expiring_agreements.html", {"expiring_agreements": []}).strip() == ""
    )


# ---------------------------------------------------------------------------------------------------
# Creating and editing.


def test_an_agreement_created_in_the_app_is_saved_with_its_scope_coverage_and_an_audit_entry(world):
    data = agreement_data(world, scan=upload("协议.pdf", PDF, "application/pdf"))
    response = login(world.county_staff).post(reverse("organizations:agreement_create"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(counterpart="中共深圳市宝安区委组织部")
    assert response.headers["Location"] == agreement.get_absolute_url()
    assert agreement.our_side == "中共蓝山县委组织部"
    assert agreement.scope == ["organizations", "members", "activities", "development"]
    assert list(agreement.covered_organizations.all()) == [world.huadu]
    assert agreement.scan.name.startswith("agreements/") and agreement.scan.name.endswith(".pdf")
    assert "协议" not in agreement.scan.name  # stored under a random name
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(agreement.pk))
    assert entry.changes["scan"] == [None, agreement.scan.name]  # the stored name, never the content
    assert entry.actor == world.county_staff


def test_an_agreement_without_a_scan_is_saved_and_audited_too(world):
    response = login(world.admin).post(reverse("organizations:agreement_create"), agreement_data(world))
    assert response.status_code == 302
    agreement = Agreement.objects.get(counterpart="中共深圳市宝安区委组织部")
    assert not agreement.scan
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(agreement.pk)).exists()


def test_the_new_agreement_form_posts_files(world):
    html = login(world.admin).get(reverse("organizations:agreement_create")).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'accept=".pdf,.jpg,.jpeg,.png"' in html


def test_other_forms_stay_plain_forms(world):
    html = login(world.admin).get(reverse("organizations:organization_create")).content.decode()
    assert "multipart/form-data" not in html


def test_an_end_date_before_the_start_date_is_refused_with_what_to_do(world):
    data = agreement_data(world, valid_from="2025-07-01", valid_to="2025-06-30")
    response = login(world.admin).post(reverse("organizations:agreement_create"), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors["valid_to"]
    assert "2025-07-01" in error
    assert error in response.content.decode()
    assert not Agreement.objects.filter(counterpart=data["counterpart"]).exists()


@pytest.mark.parametrize("valid_to", ["2025-07-01", "2025-06-30"])
def test_the_model_refuses_an_end_date_on_or_before_the_start_date(db, valid_to):
    agreement = Agreement(
        counterpart="中共文昌市委组织部",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=datetime.date.fromisoformat(valid_to),
    )
    with pytest.raises(ValidationError) as caught:
        agreement.full_clean()
    assert "valid_to" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_a_partner_organization_fills_in_an_empty_counterpart_and_region(world):
    partner = Organization.objects.create(
        name="中共文昌市委组织部", kind="partner", level="committee", province="海南省", city="文昌市"
    )
    data = agreement_data(world, partner=partner.pk, counterpart="", province="", city="", district="")
    response = login(world.admin).post(reverse("organizations:agreement_create"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(partner=partner)
    assert (agreement.counterpart, agreement.region) == ("中共文昌市委组织部", "海南省文昌市")


def test_an_agreement_needs_a_counterpart(world):
    response = login(world.admin).post(reverse("organizations:agreement_create"), agreement_data(world, counterpart=""))
    assert response.status_code == 200
    assert response.context["form"].errors["counterpart"]


def test_the_covered_organizations_are_the_active_flowing_organizations(world):
    dissolved = FlowingOrgFactory(name="中共蓝山县驻旧地流动党员支部委员会", parent=world.committee, is_active=False)
    form = login(world.admin).get(reverse("organizations:agreement_create")).context["form"]
    assert set(form.fields["covered_organizations"].queryset) == {world.huadu, world.kunming}

    # An organization dissolved after it was covered stays chosen on the edit form.
    world.huadu_agreement.covered_organizations.add(dissolved)
    url = reverse("organizations:agreement_update", args=[world.huadu_agreement.pk])
    form = login(world.admin).get(url).context["form"]
    assert set(form.fields["covered_organizations"].queryset) == {world.huadu, world.kunming, dissolved}


def test_the_detail_page_links_the_signed_copy_only_when_there_is_one(world):
    scan_url = reverse("organizations:agreement_scan", args=[world.huadu_agreement.pk])
    assert scan_url in login(world.secretary).get(world.huadu_agreement.get_absolute_url()).content.decode()
    unscanned_url = reverse("organizations:agreement_scan", args=[world.unscanned.pk])
    assert unscanned_url not in login(world.secretary).get(world.unscanned.get_absolute_url()).content.decode()


def test_the_detail_page_offers_editing_only_to_county_level_users(world):
    edit_url = reverse("organizations:agreement_update", args=[world.huadu_agreement.pk])
    assert edit_url in login(world.county_staff).get(world.huadu_agreement.get_absolute_url()).content.decode()
    assert edit_url not in login(world.secretary).get(world.huadu_agreement.get_absolute_url()).content.decode()


# ---------------------------------------------------------------------------------------------------
# Query counts.

QUERY_CAP = 15
FEW, MANY = 5, 50


def _count_queries(client: Client, url: str) -> tuple[int, Any]:
    client.get(url)  # warm up per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def _add_agreements(world: SimpleNamespace, how_many: int) -> None:
    """Agreements covering Huadu, every other one Kunming too, some expiring soon, some with a scan."""
    today = timezone.localdate()
    for i in range(how_many):
        covers = [world.huadu, world.kunming] if i % 2 else [world.huadu]
        agreement = AgreementFactory(valid_to=today + datetime.timedelta(days=10 + 30 * (i % 4)), covers=covers)
        if i % 3 == 0:
            agreement.scan.save("scan.pdf", ContentFile(PDF))


@pytest.mark.parametrize("persona", ["admin", "secretary"])
def test_the_agreement_list_costs_the_same_queries_for_5_and_for_50_agreements(county, persona):
    client = login(getattr(county, persona))
    url = reverse("organizations:agreement_list")

    _add_agreements(county, FEW)
    few_queries, few_response = _count_queries(client, url)
    _add_agreements(county, MANY - FEW)
    many_queries, many_response = _count_queries(client, url)

    assert len(many_response.context["table"].paginated_rows) == MANY > FEW
    assert len(few_response.context["table"].paginated_rows) == FEW
    assert many_queries == few_queries
    assert many_queries <= QUERY_CAP


# ---------------------------------------------------------------------------------------------------
# Demo data.


def test_the_demo_agreements_cover_the_demo_destinations_and_one_is_due_for_renewal(db):
    call_command("load_demo", allow_production=True, members=300, verbosity=0)  # which loads the agreements too
    today = timezone.localdate()
    assert Agreement.objects.count() == 6
    assert demo.load(random.Random(1), today=today) == 0  # loading again adds nothing
    Agreement.objects.all().delete()

    assert demo.load(random.Random(431127), today=today) == 6

    huadu = Agreement.objects.get(counterpart="中共广州市花都区委组织部")
    assert huadu.partner is not None and huadu.partner.kind == "partner"
    assert [org.district for org in huadu.covered_organizations.all()] == ["花都区"]
    assert list(Agreement.objects.expiring(today=today)) == [huadu]
    assert huadu.days_left == 40

    kunming = Agreement.objects.filter(counterpart="中共昆明市官渡区委组织部").order_by("valid_from")
    assert [a.current_status(today) for a in kunming] == [AgreementStatus.EXPIRED, AgreementStatus.IN_FORCE]
    assert kunming[0].valid_to.year == today.year - 1
    assert {a.counterpart for a in Agreement.objects.in_force(today)} == {
        "中共广州市花都区委组织部",
        "中共文昌市委组织部",
        "中共深圳市宝安区委组织部",
        "中共深圳市龙岗区委组织部",
        "中共昆明市官渡区委组织部",
    }
    for agreement in Agreement.objects.all():
        assert agreement.covered_organizations.exists(), agreement
        assert set(agreement.covered_organizations.values_list("city", flat=True)) == {agreement.city}

    scanned = [a for a in Agreement.objects.all() if a.scan]
    assert len(scanned) == 2
    for agreement in scanned:
        with agreement.scan.open("rb") as handle:
            assert sniff(handle) == "pdf"
            _assert_valid_pdf_structure(handle.read())

    # The demo Huadu secretary sees exactly the Huadu agreement and can open its signed copy.
    secretary = User.objects.get(username="secretary")
    assert list(Agreement.objects.visible_to(secretary)) == [huadu]
    served = download(secretary, huadu)
    assert served.status_code == 200 and served.body.startswith(b"%PDF-")
    assert not Agreement.objects.visible_to(User.objects.get(username="branch")).exists()


def _assert_valid_pdf_structure(pdf: bytes) -> None:
    """Every cross-reference entry points at its object, and startxref at the table."""
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref")
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[startxref:])
    assert entries
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    stream = pdf.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")
