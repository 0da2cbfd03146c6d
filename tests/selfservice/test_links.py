"""A personal link: sent through the outbox, opened with the ID digits, answered once; nothing changes until the
responsible secretary accepts, and then only through the outflow workflow."""

import hashlib
import secrets
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import AuditAction, AuditEntry, Notification
from members.models import OutflowEvent, OutflowEventKind
from selfservice import actions
from selfservice.models import PersonalLink, Purpose, ReviewStatus, SelfReport
from tests.conftest import login
from tests.selfservice.conftest import deliver, send, token_of


def _open(client: Client, token: str, digits: str) -> object:
    url = reverse("selfservice:link", args=[token])
    client.get(url)
    return client.post(url, {"step": "digits", "digits": digits}, follow=True)


def _answer(client: Client, token: str, **answers: str) -> object:
    return client.post(reverse("selfservice:link", args=[token]), {"step": "answer", **answers})


WHEREABOUTS = {
    "province": "广东省",
    "city": "深圳市",
    "district": "宝安区",
    "address": "福永街道1号",
    "employer": "某电子厂",
}


def test_the_text_message_carries_the_link_and_only_the_tokens_hash_is_stored(county):
    link = actions.send_link(county.yuan, purpose=Purpose.WHEREABOUTS, by=county.secretary)
    row = Notification.objects.get(key__startswith=f"personal-link:{link.pk}:")
    text = deliver(link)
    token = token_of(text)

    assert len(token) == 43  # secrets.token_urlsafe(32): 256 bits
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.body and token not in row.subject and token not in row.link  # encrypted in the outbox
    from lanshan_party.notifications import LocmemSMSBackend

    assert LocmemSMSBackend.outbox[-1][0] == county.yuan.phone
    assert county.yuan.name in text and f"/m/{token}/" in text


def test_an_email_link_goes_to_the_address_the_secretary_gave(county):
    link = actions.send_link(
        county.yuan, purpose=Purpose.YEARLY_REPORT, by=county.secretary, channel="email", email="yuan@example.com"
    )
    row = Notification.objects.get(key__startswith=f"personal-link:{link.pk}:")
    from lanshan_party import notifications

    assert notifications.send(row.pk) == "sent"
    assert mail.outbox[-1].to == ["yuan@example.com"]
    assert "/m/" in mail.outbox[-1].body


def test_a_token_opens_only_its_own_members_page_and_purpose(county, digits):
    _link, yuan_token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    _other, ma_token = send(county.ma, Purpose.YEARLY_REPORT, county.admin)
    client = Client()

    refused = _open(client, yuan_token, digits(county.ma))  # another member's digits do not open it
    assert "袁*" not in refused.content.decode() and refused.context["form"].errors["digits"]

    page = _open(client, yuan_token, digits(county.yuan)).content.decode()
    assert "袁**" in page and str(Purpose.WHEREABOUTS.label) in page
    assert "马*" not in page and str(Purpose.YEARLY_REPORT.label) not in page
    assert county.yuan.phone not in page and county.yuan.id_number not in page  # masked even to the member
    assert county.yuan.phone[-4:] in page  # … as masks show them

    # The same browser, verified for Yuan's link, is not verified for Ma's.
    other = client.get(reverse("selfservice:link", args=[ma_token])).content.decode()
    assert "马*" not in other and 'name="digits"' in other


def _states(county) -> dict[str, str]:
    """One token per state a link cannot be used in, and guesses."""
    tokens = {}
    for state in ("expired", "revoked", "locked", "spent"):
        link, token = send(county.yuan, Purpose.CHANGE if state == "spent" else Purpose.WHEREABOUTS, county.secretary)
        if state == "expired":
            PersonalLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
        elif state == "revoked":
            actions.revoke_link(link, by=county.secretary)
        elif state == "locked":
            PersonalLink.objects.filter(pk=link.pk).update(failed_tries=5, locked_at=timezone.now())
        else:
            actions.submit_report(link, circumstance="换了工作")
        tokens[state] = token
    tokens["guessed"] = secrets.token_urlsafe(32)
    tokens["short guess"] = "1"
    tokens["long guess"] = "x" * 300
    return tokens


def test_expired_revoked_locked_spent_and_guessed_tokens_get_the_same_not_found_answer(county):
    answers = {}
    for state, token in _states(county).items():
        response = Client().get(reverse("selfservice:link", args=[token]))
        answers[state] = (response.status_code, response.content)
    first = answers["guessed"]
    assert first[0] == 404
    assert all(answer == first for answer in answers.values()), {k: v[0] for k, v in answers.items()}
    assert "袁" not in first[1].decode()
    # Each of them is in the audit log as a failed attempt, with the address it came from.
    failed = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert failed.count() == len(answers) and set(failed.values_list("ip", flat=True)) == {"127.0.0.1"}


def test_a_post_to_a_token_that_is_not_valid_gets_the_same_answer_as_a_get(county):
    token = secrets.token_urlsafe(32)
    url = reverse("selfservice:link", args=[token])
    got, posted = Client().get(url), Client().post(url, {"step": "digits", "digits": "1234"})
    assert (got.status_code, got.content) == (posted.status_code, posted.content)


def test_five_wrong_id_digits_lock_the_link_and_each_is_audited_with_the_real_client_address(county, settings, digits):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXIES = True, frozenset({"127.0.0.1"})
    link, token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.23")
    url = reverse("selfservice:link", args=[token])
    for left in (4, 3, 2, 1):
        response = client.post(url, {"step": "digits", "digits": "0000"})
        assert response.status_code == 200 and response.context["form"].errors["digits"]
        assert PersonalLink.objects.get(pk=link.pk).failed_tries == 5 - left
    locked = client.post(url, {"step": "digits", "digits": "0000"})
    assert locked.status_code == 404
    link.refresh_from_db()
    assert link.failed_tries == 5 and link.locked_at is not None
    # The right digits no longer help: the same answer as any invalid link.
    assert client.post(url, {"step": "digits", "digits": digits(county.yuan)}).status_code == 404
    wrong = AuditEntry.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_type="members.member", object_id=str(county.yuan.pk)
    )
    assert wrong.count() == 5 and set(wrong.values_list("ip", flat=True)) == {"198.51.100.23"}
    assert wrong.filter(note__contains="5").exists()


def test_the_answer_changes_nothing_until_a_secretary_reviews_it_and_spends_the_link(county, digits):
    link, token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    client = Client()
    _open(client, token, digits(county.yuan))
    response = _answer(client, token, **WHEREABOUTS)
    assert response.status_code == 302 and response["Location"] == reverse("selfservice:link_done")

    county.yuan_outflow.refresh_from_db()
    assert county.yuan_outflow.city == "广州市"  # unchanged
    report = SelfReport.objects.get(link=link)
    assert report.status == ReviewStatus.PENDING and report.city == "深圳市" and report.ip == "127.0.0.1"
    assert not OutflowEvent.objects.filter(outflow=county.yuan_outflow, kind=OutflowEventKind.UPDATE).exists()
    # Spent: the link now answers like any invalid one, and a second submit adds nothing.
    assert client.get(reverse("selfservice:link", args=[token])).status_code == 404
    assert _answer(client, token, **WHEREABOUTS).status_code == 404
    assert SelfReport.objects.count() == 1


def test_the_answer_page_needs_the_digits_first(county):
    _link, token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    response = _answer(Client(), token, **WHEREABOUTS)
    assert response.status_code == 302 and SelfReport.objects.count() == 0


def test_a_whereabouts_answer_without_a_city_is_refused_in_chinese_words(county, digits):
    _link, token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    client = Client()
    _open(client, token, digits(county.yuan))
    response = _answer(client, token, province="广东省", city="")
    assert response.status_code == 200 and SelfReport.objects.count() == 0
    assert response.context["form"].errors["city"]


def _review(client: Client, report: SelfReport, decision: str, **values: str) -> object:
    form = {
        "returned_home": "",
        "province": report.province,
        "city": report.city,
        "district": report.district,
        "address": report.address,
        "employer": report.employer,
        "phone": report.phone,
        "review_note": "",
    }
    return client.post(reverse("selfservice:report_review", args=[report.pk]), {**form, **values, "decision": decision})


def _submitted(county, digits, purpose=Purpose.WHEREABOUTS, **answers) -> SelfReport:
    _link, token = send(county.yuan, purpose, county.secretary)
    client = Client()
    _open(client, token, digits(county.yuan))
    assert _answer(client, token, **(answers or WHEREABOUTS)).status_code == 302
    return SelfReport.objects.get()


def test_accepting_goes_through_the_outflow_workflow_so_the_timeline_and_the_audit_show_it(county, digits):
    report = _submitted(county, digits)
    response = _review(login(county.secretary), report, "accepted")
    assert response.status_code == 302

    county.yuan_outflow.refresh_from_db()
    assert (county.yuan_outflow.city, county.yuan_outflow.employer) == ("深圳市", "某电子厂")
    event = OutflowEvent.objects.get(outflow=county.yuan_outflow, kind=OutflowEventKind.UPDATE)
    assert event.by == county.secretary
    entry = AuditEntry.objects.get(object_type="members.outflow", action=AuditAction.UPDATE)
    assert entry.actor == county.secretary and entry.changes["city"] == ["广州市", "深圳市"]
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED and report.reviewed_by == county.secretary
    timeline = login(county.secretary).get(county.yuan.get_absolute_url()).content.decode()
    assert event.note in timeline


def test_a_secretarys_correction_is_what_is_applied(county, digits):
    report = _submitted(county, digits)
    _review(login(county.secretary), report, "accepted", city="东莞市", district="长安镇", review_note="电话核实")
    county.yuan_outflow.refresh_from_db()
    report.refresh_from_db()
    assert county.yuan_outflow.city == "东莞市" and report.status == ReviewStatus.CORRECTED


def test_a_rejection_needs_a_reason_and_changes_nothing(county, digits):
    report = _submitted(county, digits)
    client = login(county.secretary)
    assert _review(client, report, "rejected").status_code == 200  # no reason given: refused on the form
    report.refresh_from_db()
    assert report.status == ReviewStatus.PENDING
    assert _review(client, report, "rejected", review_note="信息不实").status_code == 302
    county.yuan_outflow.refresh_from_db()
    report.refresh_from_db()
    assert report.status == ReviewStatus.REJECTED and county.yuan_outflow.city == "广州市"
    assert AuditEntry.objects.filter(object_type="selfservice.selfreport", action=AuditAction.WORKFLOW).exists()


def test_a_reviewed_report_cannot_be_reviewed_twice(county, digits):
    report = _submitted(county, digits)
    client = login(county.secretary)
    _review(client, report, "accepted")
    again = _review(client, report, "accepted", city="东莞市")
    assert again.status_code == 200  # shown, with the reason, instead of a second change
    county.yuan_outflow.refresh_from_db()
    assert county.yuan_outflow.city == "深圳市"


def test_an_accepted_new_phone_is_saved_on_the_member_and_audited(county, digits):
    report = _submitted(county, digits, **WHEREABOUTS, phone="13912345678")
    _review(login(county.secretary), report, "accepted")
    county.yuan.refresh_from_db()
    assert county.yuan.phone == "13912345678"
    entry = AuditEntry.objects.get(object_type="members.member", action=AuditAction.UPDATE)
    assert entry.changes["phone"] == ["187****" + entry.changes["phone"][0][-4:], "139****5678"]


def test_a_yearly_report_is_kept_for_the_secretary_and_accepted_without_touching_the_outflow(county, digits):
    report = _submitted(
        county, digits, Purpose.YEARLY_REPORT, study="学习", work="工作", organizational_life="参加主题党日"
    )
    assert report.study == "学习"
    assert _review(login(county.secretary), report, "accepted").status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED
    assert not OutflowEvent.objects.filter(kind=OutflowEventKind.UPDATE).exists()


def test_too_many_openings_of_one_link_are_answered_with_429_not_a_500(county):
    _link, token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    url = reverse("selfservice:link", args=[token])
    statuses = [Client(REMOTE_ADDR=f"10.0.0.{i}").get(url).status_code for i in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_a_cache_that_is_down_lets_the_page_answer(county):
    _link, token = send(county.yuan, Purpose.WHEREABOUTS, county.secretary)
    with mock.patch("selfservice.tokens.cache.add", side_effect=ConnectionError("cache down")):
        assert Client().get(reverse("selfservice:link", args=[token])).status_code == 200
        assert Client().get(reverse("selfservice:find")).status_code == 200


@pytest.mark.parametrize("purpose", [Purpose.WHEREABOUTS, Purpose.CHANGE])
def test_a_member_off_the_roll_or_without_a_phone_gets_no_link(county, purpose):
    county.qin.phone = ""
    county.qin.save()
    with pytest.raises(ValidationError):
        actions.send_link(county.qin, purpose=purpose, by=county.admin)
    assert not PersonalLink.objects.exists()


def test_the_member_pages_card_lists_the_links_and_points_to_the_answer_waiting_for_review(county, digits):
    report = _submitted(county, digits)
    page = login(county.secretary).get(county.yuan.get_absolute_url()).content.decode()
    assert reverse("selfservice:member_links", args=[county.yuan.pk]) in page  # loaded by htmx, no query here
    card = login(county.secretary).get(reverse("selfservice:member_links", args=[county.yuan.pk])).content.decode()
    assert reverse("selfservice:report_review", args=[report.pk]) in card
    assert str(Purpose.WHEREABOUTS.label) in card


def test_every_link_that_cannot_be_used_takes_the_same_minimum_time_to_answer(county):
    import time

    from selfservice.views import NOT_VALID_SECONDS

    for _state, token in _states(county).items():
        started = time.monotonic()
        Client().get(reverse("selfservice:link", args=[token]))
        assert time.monotonic() - started >= NOT_VALID_SECONDS
