"""Organization terms (换届): the regular length by kind, extensions of at most a year, the terms-due list, the
reminders 90 and 30 days before the end (once each), and the notice to flowing organizations of an election."""

import datetime

import pytest
from django.urls import reverse

from lanshan_party.models import Channel, Notification
from members import actions as member_actions
from organizations.models import OrgLevel
from tests.conftest import login
from tests.factories import FlowingOrgFactory, MemberFactory, UserFactory
from tests.yearly.factories import TermFactory
from yearly import actions
from yearly.models import Term, default_term_years
from yearly.reminders import ELECTION_HELD, TERM_ENDING, sweep_terms

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")


def test_the_regular_term_is_5_years_for_villages_communities_and_committees_and_3_for_other_branches(county):
    assert default_term_years(county.huaguo) == 5
    assert default_term_years(county.chengdong) == 5
    assert default_term_years(county.tafeng) == 5  # a Party committee (基层委员会)
    assert default_term_years(county.huadu) == 3  # a general branch (总支)
    assert default_term_years(county.kunming) == 3
    assert default_term_years(FlowingOrgFactory(level=OrgLevel.COMMITTEE, parent=county.committee)) == 5


def test_recording_an_election_starts_the_new_term_and_keeps_the_old_one_as_history(county):
    first = actions.record_term(county.huaguo, started_on=datetime.date(2021, 3, 1), by=county.admin)
    assert (first.years, first.ends_on) == (5, datetime.date(2026, 3, 1))

    second = actions.record_term(county.huaguo, started_on=datetime.date(2026, 3, 5), by=county.admin)

    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(Term.objects.current().filter(organization=county.huaguo)) == [second]


def test_an_election_before_the_current_terms_start_is_refused(county):
    actions.record_term(county.huaguo, started_on=datetime.date(2024, 3, 1), by=county.admin)
    with pytest.raises(Exception, match="新一届应在此之后开始"):
        actions.record_term(county.huaguo, started_on=datetime.date(2023, 3, 1), by=county.admin)


def _post_term(client, county, **changes):
    data = {"organization": county.huaguo.pk, "started_on": "2023-04-01", "years": "", "extended_until": "", "note": ""}
    return client.post(reverse("yearly:term_create"), {**data, **changes})


def test_an_extension_of_more_than_a_year_is_refused_and_one_of_a_year_accepted(county):
    client = login(county.township)
    refused = _post_term(client, county, started_on="2021-04-01", extended_until="2027-04-02")
    assert refused.status_code == 200
    assert "延期换届最长不超过1年" in str(refused.context["form"].errors["extended_until"])
    assert not Term.objects.exists()

    accepted = _post_term(client, county, started_on="2021-04-01", extended_until="2027-04-01")
    assert accepted.status_code == 302
    term = Term.objects.get()
    assert (term.regular_end, term.ends_on) == (datetime.date(2026, 4, 1), datetime.date(2027, 4, 1))


def test_an_extension_that_ends_before_the_regular_end_is_refused(county):
    response = _post_term(login(county.admin), county, started_on="2023-04-01", extended_until="2027-01-01")
    assert "延期日期应晚于届满日期" in str(response.context["form"].errors["extended_until"])


def test_the_same_election_posted_twice_is_recorded_once(county):
    client = login(county.township)
    assert _post_term(client, county).status_code == 302
    again = _post_term(client, county)
    assert again.status_code == 302 and Term.objects.count() == 1


def test_secretaries_may_not_record_elections_and_nobody_outside_their_subtree(county):
    assert _post_term(login(county.branch), county).status_code == 403
    response = _post_term(login(county.township), county, organization=county.zongshicun.pk)
    assert response.status_code == 200 and "organization" in response.context["form"].errors


def _term_ending_on(org, day: datetime.date, years: int = 5) -> Term:
    return TermFactory(organization=org, started_on=day.replace(year=day.year - years), years=years)


def test_reminders_go_out_at_exactly_90_and_30_days_once_each_to_the_secretary_and_the_township(county):
    end = datetime.date(2026, 12, 1)
    _term_ending_on(county.huaguo, end)
    day = lambda days: end - datetime.timedelta(days=days)  # noqa: E731

    assert sweep_terms(day(91)) == 0
    assert sweep_terms(day(90)) == 2  # the branch's secretary and the township officer, in the application
    assert sweep_terms(day(90)) == 0
    assert sweep_terms(day(89)) == 0
    assert sweep_terms(day(31)) == 0
    assert sweep_terms(day(30)) == 2
    assert sweep_terms(day(30)) == 0
    assert sweep_terms(day(5)) == 0
    reminded = Notification.objects.filter(kind=TERM_ENDING, channel=Channel.IN_APP)
    assert sorted(reminded.values_list("recipient__username", flat=True)) == [
        "branch",
        "branch",
        "township",
        "township",
    ]
    assert "2026-12-01" in reminded.first().subject


def test_a_flowing_organization_under_the_county_has_its_reminder_go_to_its_secretary_and_county_staff(county):
    _term_ending_on(county.huadu, datetime.date(2026, 9, 13), years=3)
    assert sweep_terms(datetime.date(2026, 6, 15)) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"secretary", "county"}


def test_an_expired_term_and_an_old_one_are_not_reminded(county):
    _term_ending_on(county.huaguo, datetime.date(2026, 6, 1))
    old = actions.record_term(county.zongshicun, started_on=datetime.date(2021, 7, 1), by=county.admin)
    actions.record_term(county.zongshicun, started_on=datetime.date(2026, 6, 1), by=county.admin)
    assert old.ends_on == datetime.date(2026, 7, 1)
    assert sweep_terms(datetime.date(2026, 6, 15)) == 0


def test_the_terms_list_shows_the_due_terms_of_the_users_subtree(county):
    _term_ending_on(county.huaguo, datetime.date(2026, 7, 1))  # within 30 days
    _term_ending_on(county.chengdong, datetime.date(2026, 1, 1))  # expired
    _term_ending_on(county.zongshicun, datetime.date(2026, 8, 1))  # within 90, outside 塔峰镇
    _term_ending_on(county.huadu, datetime.date(2028, 1, 1), years=3)  # running

    def shown(user, **params):
        table = login(user).get(reverse("yearly:term_list"), params).context["table"]
        return {row.record.organization.pk for row in table.paginated_rows}

    assert shown(county.township) == {county.huaguo.pk, county.chengdong.pk}
    assert shown(county.admin) == {county.huaguo.pk, county.chengdong.pk, county.zongshicun.pk}
    assert shown(county.admin, due="expired") == {county.chengdong.pk}
    assert shown(county.admin, due="30") == {county.huaguo.pk}
    assert shown(county.admin, due="all") == {
        county.huaguo.pk,
        county.chengdong.pk,
        county.zongshicun.pk,
        county.huadu.pk,
    }
    assert shown(county.admin, due="nonsense") == set()  # an unknown choice is a form error: the filter shows nothing
    assert shown(county.branch) == {county.huaguo.pk}


def test_flowing_organizations_hear_when_the_home_branch_of_their_members_holds_its_election(county):
    # 袁芳伟 (花果村) is away under Huadu; another 花果村 member is away under Kunming; 马云 (总市村) is not concerned.
    kunming_secretary = UserFactory(username="kunming", role="secretary", organization=county.kunming)
    other = MemberFactory(home_branch=county.huaguo)
    member_actions.register_outflow(
        other,
        by=county.admin,
        departure_date=datetime.date(2025, 3, 1),
        province="云南省",
        city="昆明市",
        district="官渡区",
    )

    actions.record_term(county.huaguo, started_on=datetime.date(2026, 5, 20), by=county.township)

    told = Notification.objects.filter(kind=ELECTION_HELD, channel=Channel.IN_APP)
    assert set(told.values_list("recipient", flat=True)) == {county.secretary.pk, kunming_secretary.pk}
    assert "2026-05-20" in told.first().subject
    assert not Notification.objects.filter(recipient=county.outsider).exists()


def test_an_election_of_a_flowing_organization_tells_nobody_else(county):
    actions.record_term(county.huadu, started_on=datetime.date(2026, 5, 20), by=county.admin)
    assert not Notification.objects.filter(kind=ELECTION_HELD).exists()


def test_the_edit_form_extends_the_current_term_by_a_year_at_most_and_the_change_is_audited(county):
    from lanshan_party.models import AuditEntry
    from tests.test_permissions import posted_back

    term = actions.record_term(county.huaguo, started_on=datetime.date(2021, 9, 1), by=county.admin)
    client = login(county.township)
    url = reverse("yearly:term_update", args=[term.pk])
    form = client.get(url).context["form"]

    refused = client.post(url, posted_back(form, extended_until="2027-09-02"))
    assert refused.status_code == 200 and "延期换届最长不超过1年" in str(refused.context["form"].errors)
    accepted = client.post(url, posted_back(form, extended_until="2027-03-01"))
    assert accepted.status_code == 302
    term.refresh_from_db()
    assert term.ends_on == datetime.date(2027, 3, 1)
    assert AuditEntry.objects.filter(object_type="yearly.term", action="update", object_id=str(term.pk)).exists()
    stale = client.post(url, posted_back(form, extended_until="2027-04-01"))
    assert stale.status_code == 200 and stale.context["form"].has_error("__all__", "stale")
