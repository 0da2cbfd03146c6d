"""The notification outbox: sweeps write each reminder once, sending delivers each once, the inbox shows your own."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lanshan_party import notifications
from lanshan_party.models import Channel, Notification, NotificationKind, NotificationStatus, User
from lanshan_party.notifications import LocmemSMSBackend, Reminder
from lanshan_party.tasks import send_notification
from members import census, reminders
from members.models import CensusCampaign, Member
from organizations import reminders as organization_reminders
from tests.conftest import login
from tests.factories import UserFactory

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def text_messages_in_memory(settings):
    settings.SMS_BACKEND = "lanshan_party.notifications.LocmemSMSBackend"
    LocmemSMSBackend.outbox = []
    LocmemSMSBackend.keys = set()


@pytest.fixture
def reachable(county):
    """The Huadu and 花果村 secretaries can be reached by e-mail and text message too."""
    for user, email, mobile in (
        (county.secretary, "huadu@example.cn", "13800138000"),
        (county.branch, "", "13900139000"),
    ):
        user.email, user.mobile = email, mobile
        user.save()
    return county


@pytest.fixture
def campaign(reachable):
    county = reachable
    c = CensusCampaign.objects.create(
        name="春节摸排", starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2026, 3, 3)
    )
    c.organizations.add(county.committee)
    census.open_campaign(c, by=county.county_staff)
    return c


def _sent() -> list[Notification]:
    return list(Notification.objects.filter(status=NotificationStatus.SENT).order_by("pk"))


def test_running_every_sweep_twice_writes_and_sends_each_notification_once(campaign, reachable):
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))  # all at 6+ months
    first = notifications.sweep_all(TODAY)
    second = notifications.sweep_all(TODAY)

    assert first["campaigns"] > 0 and first["life_warnings"] > 0
    assert all(count == 0 for name, count in second.items() if name != "queued"), second
    assert second["queued"] == 0
    rows = Notification.objects.all()
    assert rows.count() == len({row.key for row in rows})
    assert {row.status for row in rows} == {NotificationStatus.SENT}
    emails = [message.to[0] for message in mail.outbox]
    assert len(emails) == rows.filter(channel=Channel.EMAIL).count() == len(set(m.subject for m in mail.outbox))
    assert len(LocmemSMSBackend.outbox) == rows.filter(channel=Channel.SMS).count()


def test_running_the_send_task_twice_for_one_notification_sends_it_once(reachable):
    notifications.write(
        [Reminder("test:1", reachable.secretary, NotificationKind.TRANSFER_PROMPT, "三名党员待转接", "请办理")]
    )
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert send_notification.apply(args=[email.pk]).get() == "sent"
    assert send_notification.apply(args=[email.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1 and email.sent_at is not None


def test_a_send_claimed_by_another_worker_is_not_sent_again(reachable):
    notifications.write([Reminder("test:2", reachable.secretary, NotificationKind.TRANSFER_PROMPT, "主题", "")])
    email = Notification.objects.get(channel=Channel.EMAIL)
    Notification.objects.filter(pk=email.pk).update(status=NotificationStatus.SENDING)  # the other worker's claim
    assert notifications.send(email.pk) == "skipped"
    assert mail.outbox == []


def test_a_send_left_half_done_by_a_dead_worker_is_sent_by_a_later_dispatch(reachable):
    notifications.write([Reminder("test:3", reachable.secretary, NotificationKind.TRANSFER_PROMPT, "主题", "")])
    email = Notification.objects.get(channel=Channel.EMAIL)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Notification.objects.filter(pk=email.pk).update(status=NotificationStatus.SENDING, claimed_at=long_ago)
    notifications.dispatch_due()
    email.refresh_from_db()
    assert email.status == NotificationStatus.SENT and len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_later_and_given_up_after_five_attempts(reachable, settings, monkeypatch):
    notifications.write([Reminder("test:4", reachable.secretary, NotificationKind.TRANSFER_PROMPT, "主题", "")])
    email = Notification.objects.get(channel=Channel.EMAIL)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "get_connection", refuse)
    assert notifications.send(email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == NotificationStatus.PENDING and email.due_at > email.created_at
    assert "mail server down" in email.last_error
    for _attempt in range(4):
        Notification.objects.filter(pk=email.pk).update(due_at=email.created_at)
        notifications.send(email.pk)
    email.refresh_from_db()
    assert email.status == NotificationStatus.FAILED and email.attempts == 5


def test_a_secretary_receives_only_their_own_organizations_reminders(campaign, reachable):
    county = reachable
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    notifications.sweep_all(TODAY)
    mine = Notification.objects.filter(recipient=county.secretary, channel=Channel.IN_APP)
    assert {n.kind for n in mine} == {
        NotificationKind.CAMPAIGN_OPENED,
        NotificationKind.CAMPAIGN_DEADLINE,
        NotificationKind.LIFE_WARNING,
        NotificationKind.TRANSFER_PROMPT,
        NotificationKind.REPORT_OVERDUE,  # 袁芳伟 left in 2024 and never reported in
        NotificationKind.DUES_ARREARS,  # and has no dues payment on record
    }
    opened = mine.get(kind=NotificationKind.CAMPAIGN_OPENED)
    assert "1" in opened.body  # one member to verify: 袁芳伟, not 马云 of Kunming
    life = mine.get(kind=NotificationKind.LIFE_WARNING)
    assert life.link.endswith(f"organization={county.huadu.pk}")
    outsider = Notification.objects.filter(recipient=county.outsider)
    assert all(f"organization={county.huadu.pk}" not in n.link for n in outsider)
    assert not Notification.objects.filter(recipient=county.outsider, kind=NotificationKind.AGREEMENT_RENEWAL).exists()


def test_the_deadline_reminder_comes_three_days_before_and_the_overdue_one_after(campaign, reachable):
    county = reachable
    kinds = lambda: set(  # noqa: E731
        Notification.objects.filter(recipient=county.secretary, kind__startswith="campaign").values_list(
            "kind", flat=True
        )
    )
    reminders.sweep_campaigns(datetime.date(2026, 2, 27))
    assert kinds() == {NotificationKind.CAMPAIGN_OPENED}
    reminders.sweep_campaigns(datetime.date(2026, 2, 28))
    assert NotificationKind.CAMPAIGN_DEADLINE in kinds()
    reminders.sweep_campaigns(datetime.date(2026, 3, 4))
    assert NotificationKind.CAMPAIGN_OVERDUE in kinds()
    county_overdue = Notification.objects.filter(recipient=county.county_staff, kind=NotificationKind.CAMPAIGN_OVERDUE)
    assert county_overdue.exists()
    sms = Notification.objects.filter(recipient=county.secretary, channel=Channel.SMS)
    assert set(sms.values_list("kind", flat=True)) == {
        NotificationKind.CAMPAIGN_DEADLINE,
        NotificationKind.CAMPAIGN_OVERDUE,
    }


def test_answered_tasks_are_not_chased(campaign, reachable):
    county = reachable
    for task in campaign.tasks.all():
        census.record_result(task, by=county.admin, contacted=True, channel="phone", result="normal")
    reminders.sweep_campaigns(datetime.date(2026, 3, 4))
    assert not Notification.objects.filter(kind=NotificationKind.CAMPAIGN_OVERDUE).exists()


def test_the_agreement_renewal_goes_to_county_staff_once_per_agreement_and_end_date(county):
    from organizations.models import Agreement

    agreement = Agreement.objects.create(
        counterpart="中共广州市花都区委组织部",
        province="广东省",
        city="广州市",
        district="花都区",
        signed_on=datetime.date(2024, 1, 1),
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2026, 4, 1),
        status="in_force",
    )
    assert organization_reminders.sweep_agreement_renewals(TODAY) == 2  # admin and county staff, in the app
    assert organization_reminders.sweep_agreement_renewals(TODAY) == 0
    agreement.valid_to = datetime.date(2026, 4, 20)
    agreement.save()
    assert organization_reminders.sweep_agreement_renewals(TODAY) == 2  # a new end date is a new reminder


def test_the_inbox_shows_your_own_reminders_the_bell_counts_unread_and_opening_one_marks_it_read(reachable):
    county = reachable
    notifications.write(
        [Reminder("test:5", county.secretary, NotificationKind.LIFE_WARNING, "三人预警", "", "/activities/warnings/")]
    )
    notifications.write([Reminder("test:6", county.outsider, NotificationKind.LIFE_WARNING, "别人的提醒", "")])
    notifications.dispatch_due()
    client = login(county.secretary)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread">1<' in home
    inbox = client.get(reverse("notification_list")).content.decode()
    assert "三人预警" in inbox and "别人的提醒" not in inbox
    mine = Notification.objects.get(recipient=county.secretary, channel=Channel.IN_APP)
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response.headers["Location"] == "/activities/warnings/"
    assert 'data-testid="unread"' not in client.get(reverse("home")).content.decode()
    theirs = Notification.objects.get(recipient=county.outsider, channel=Channel.IN_APP)
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404


def test_a_reminder_link_to_another_site_is_not_followed(reachable):
    notifications.write(
        [Reminder("test:7", reachable.secretary, NotificationKind.LIFE_WARNING, "s", "", "https://evil.example/")]
    )
    notifications.dispatch_due()
    pk = Notification.objects.get(channel=Channel.IN_APP).pk
    response = login(reachable.secretary).post(reverse("notification_open", args=[pk]))
    assert response.headers["Location"] == reverse("notification_list")


def test_mark_all_as_read(reachable):
    for n in range(3):
        notifications.write([Reminder(f"test:all:{n}", reachable.secretary, NotificationKind.LIFE_WARNING, "s", "")])
    notifications.dispatch_due()
    login(reachable.secretary).post(reverse("notification_read_all"))
    assert not Notification.objects.visible_to(reachable.secretary).unread().exists()


def test_the_sweep_command_runs_every_sweep_and_prints_what_it_wrote(campaign):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("run_sweeps", "--today", "2026-02-28", stdout=out)
    printed = out.getvalue()
    for name in (
        "campaigns",
        "life_warnings",
        "certificate_checks",
        "transfer_prompts",
        "agreement_renewals",
        "queued",
    ):
        assert name in printed


def test_a_user_without_e_mail_or_mobile_gets_reminders_in_the_app_only(county):
    user = UserFactory(username="plain", organization=county.huadu)
    notifications.write([Reminder("test:8", user, NotificationKind.CAMPAIGN_DEADLINE, "s", "")])
    assert list(Notification.objects.filter(recipient=user).values_list("channel", flat=True)) == [Channel.IN_APP]


def test_the_secretaries_of_an_organization_are_its_active_secretaries_only(county):
    UserFactory(username="huadu-retired", role="secretary", organization=county.huadu, is_active=False)
    UserFactory(username="huadu-county-staff", role="county", organization=county.huadu)

    found = User.objects.secretaries_of([county.huadu.pk, county.huaguo.pk])

    assert set(found) == {county.secretary, county.branch}
