"""Issuing, checking, handing back and voiding through the pages: the outflow keeps a read-only copy for the member
ledger, bad input is a Chinese message on the form, a double submit records one step, and a member back home is
prompted to hand the certificate back."""

import datetime

import pytest
from django.urls import reverse

from certificates import actions
from certificates.models import Certificate, CertificateStatus
from lanshan_party.models import AuditEntry
from members import actions as member_actions
from members.forms import OutflowForm
from members.models import Outflow
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")  # 2026-06-15


def _issue_page(county, user=None):
    return login(user or county.township), reverse("certificates:certificate_issue", args=[county.yuan_outflow.pk])


def test_the_home_township_issues_from_the_member_page_and_the_outflow_copies_the_number(county):
    member_page = login(county.township).get(reverse("members:member_detail", args=[county.yuan.pk])).content.decode()
    client, url = _issue_page(county)
    assert url in member_page

    response = client.post(url, {"on": "2026-06-01", "note": "首次发证"})

    certificate = Certificate.objects.get(member=county.yuan)
    assert response.status_code == 302
    assert certificate.number == "塔峰2026-001"
    assert (certificate.township, certificate.issued_by, certificate.flowing_org) == (
        county.tafeng, county.township, county.huadu,
    )  # fmt: skip
    outflow = Outflow.objects.get(pk=county.yuan_outflow.pk)
    assert (outflow.certificate_number, outflow.certificate_issued_on) == ("塔峰2026-001", datetime.date(2026, 6, 1))
    assert AuditEntry.objects.filter(object_type="certificates.certificate", object_id=str(certificate.pk)).exists()


def test_posting_the_issue_form_twice_issues_one_certificate_and_says_why_the_second_was_refused(county):
    client, url = _issue_page(county)
    client.post(url, {"on": "2026-06-01"})

    again = client.post(url, {"on": "2026-06-01"})

    assert again.status_code == 200
    assert "塔峰2026-001" in again.content.decode()  # the message names the certificate already held
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(
    ("posted", "field", "words"),
    [
        ({"on": ""}, "on", "Enter the date"),
        ({"on": "2026-13-45"}, "on", "This is not a date"),
        ({"on": "2999-01-01"}, "on", "The issue date is in the future"),
    ],
)
def test_a_bad_issue_date_is_refused_on_its_field_saying_what_to_do(county, settings, posted, field, words):
    """The words are the source strings; the zh_Hans catalog says them in Chinese (/work/tr merged into locale)."""
    settings.LANGUAGE_CODE = "en"
    client, url = _issue_page(county)

    response = client.post(url, posted)

    assert response.status_code == 200
    assert not Certificate.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in " ".join(errors[field])


def test_a_check_is_recorded_once_and_its_date_becomes_the_outflows_last_check(certified):
    client = login(certified.secretary)
    url = reverse("certificates:certificate_check", args=[certified.cert_yuan.pk])

    first = client.post(url, {"on": "2026-05-20", "kind": "yearly", "note": "到场年审"})
    second = client.post(url, {"on": "2026-05-20", "kind": "yearly", "note": "到场年审"})

    assert first.status_code == 302
    assert second.status_code == 200 and second.context["form"].errors
    assert certified.cert_yuan.checks.count() == 1
    assert Outflow.objects.get(pk=certified.yuan_outflow.pk).certificate_checked_on == datetime.date(2026, 5, 20)


def test_a_check_before_the_issue_or_in_the_future_is_refused(certified):
    client = login(certified.admin)
    url = reverse("certificates:certificate_check", args=[certified.cert_yuan.pk])
    for day in ("2020-01-01", "2999-01-01"):
        response = client.post(url, {"on": day, "kind": "yearly"})
        assert response.status_code == 200 and response.context["form"].errors, day
    assert not certified.cert_yuan.checks.exists()


def test_a_member_back_home_is_prompted_to_hand_back_and_the_hand_back_ends_the_prompt(certified):
    member_actions.return_home(certified.yuan_outflow, by=certified.admin, on=datetime.date(2026, 6, 10))
    client = login(certified.branch)
    member_url = reverse("members:member_detail", args=[certified.yuan.pk])
    hand_back_url = reverse("certificates:certificate_hand_back", args=[certified.cert_yuan.pk])

    page = client.get(member_url).content.decode()
    assert 'data-testid="hand-back-prompt"' in page and hand_back_url in page

    response = client.post(hand_back_url, {"on": "2026-06-11", "condition": "worn", "note": "返乡交回"})

    assert response.status_code == 302
    certificate = Certificate.objects.get(pk=certified.cert_yuan.pk)
    assert (certificate.status, certificate.condition, certificate.handed_back_to) == (
        CertificateStatus.HANDED_BACK, "worn", certified.branch,
    )  # fmt: skip
    assert 'data-testid="hand-back-prompt"' not in client.get(member_url).content.decode()
    # A stale hand-back form posted again is told the certificate is handed back already.
    stale = client.post(hand_back_url, {"on": "2026-06-11", "condition": "intact"})
    assert stale.status_code == 200 and str(CertificateStatus.HANDED_BACK.label) in stale.content.decode()


def test_a_voided_certificate_leaves_the_outflow_without_a_number_and_needs_a_reason(certified):
    client = login(certified.county_staff)
    url = reverse("certificates:certificate_void", args=[certified.cert_ma.pk])

    assert client.post(url, {"on": "2026-06-01"}).context["form"].errors
    assert client.post(url, {"on": "2026-06-01", "reason": "other"}).context["form"].errors  # other: say why
    response = client.post(url, {"on": "2026-06-01", "reason": "lost", "note": "本人报告遗失"})

    assert response.status_code == 302
    assert Certificate.objects.get(pk=certified.cert_ma.pk).status == CertificateStatus.VOID
    assert Outflow.objects.get(pk=certified.ma_outflow.pk).certificate_number == ""


def test_the_outflow_form_no_longer_edits_the_certificate_fields(county):
    form = OutflowForm(instance=county.yuan_outflow, user=county.admin)

    assert not {"certificate_number", "certificate_issued_on", "certificate_checked_on"} & set(form.fields)


def test_the_certificate_follows_its_member_to_a_new_home_branch_and_out_of_a_flowing_organization(certified):
    member = certified.yuan
    member.home_branch = certified.chengdong
    member.save()
    member_actions.return_home(certified.yuan_outflow, by=certified.admin, on=datetime.date(2026, 6, 1))

    certificate = Certificate.objects.get(pk=certified.cert_yuan.pk)
    assert (certificate.home_branch, certificate.flowing_org) == (certified.chengdong, None)
    assert not Certificate.objects.visible_to(certified.secretary).filter(pk=certificate.pk).exists()
    assert not Certificate.objects.visible_to(certified.branch).filter(pk=certificate.pk).exists()


def test_ties_written_in_bulk_are_brought_back_in_step_before_the_reminders_count(certified):
    Certificate.objects.filter(pk=certified.cert_yuan.pk).update(home_branch=certified.zongshicun, flowing_org=None)

    assert actions.resync_organizations() == 1
    certificate = Certificate.objects.get(pk=certified.cert_yuan.pk)
    assert (certificate.home_branch, certificate.flowing_org) == (certified.huaguo, certified.huadu)
    assert actions.resync_organizations() == 0


def test_a_hand_back_or_voiding_dated_before_the_last_check_is_refused(certified):
    actions.record_check(certified.cert_yuan, by=certified.admin, on=datetime.date(2026, 5, 1))
    client = login(certified.admin)

    hand_back = client.post(
        reverse("certificates:certificate_hand_back", args=[certified.cert_yuan.pk]),
        {"on": "2026-04-01", "condition": "intact"},
    )
    void = client.post(
        reverse("certificates:certificate_void", args=[certified.cert_yuan.pk]), {"on": "2026-04-01", "reason": "lost"}
    )

    assert list(hand_back.context["form"].errors) == ["on"] and list(void.context["form"].errors) == ["on"]
    assert Certificate.objects.get(pk=certified.cert_yuan.pk).status == CertificateStatus.VALID
