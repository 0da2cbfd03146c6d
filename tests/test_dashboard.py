"""The dashboard: live figures scoped to what the user may see, charts drawn from the same numbers as the tables."""

import datetime
import json
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from lanshan_party import dashboard
from tests.conftest import login
from tests.factories import ActivityFactory, attend


def _charts(response):
    return json.loads(
        response.content.decode().split('id="chart-data" type="application/json">')[1].split("</script>")[0]
    )


def test_every_role_gets_the_dashboard_with_its_chart_data(county):
    for user in county.users:
        response = login(user).get(reverse("dashboard"))
        assert response.status_code == 200
        charts = _charts(response)
        assert set(charts) >= {
            "provinces",
            "cities",
            "organizations",
            "statuses",
            "months",
            "warnings",
            "service_kinds",
        }


def test_the_dashboard_counts_only_what_the_user_may_see(county):
    county_wide = dashboard.figures(county.admin)
    assert dict(county_wide["charts"]["provinces"]) == {"广东省": 1, "云南省": 1}
    huadu = dashboard.figures(county.secretary)
    assert dict(huadu["charts"]["provinces"]) == {"广东省": 1}
    assert huadu["summary"]["total"] == 1
    outsider = _charts(login(county.outsider).get(reverse("dashboard")))
    assert dict(outsider["provinces"]) == {"云南省": 1}


def test_activities_per_month_and_the_attendance_rate_come_from_attendance(county):
    today = datetime.date(2026, 3, 20)
    activity = ActivityFactory(organization=county.huadu, date=datetime.date(2026, 3, 1))
    attend(activity, (county.yuan, "present"), by=county.secretary)
    other = ActivityFactory(organization=county.huaguo, date=datetime.date(2026, 2, 1))
    attend(other, (county.yuan, "absent"), (county.qin, "online"), by=county.branch)
    months = dict(
        (label, (n, rate)) for label, n, rate in dashboard.figures(county.admin, today=today)["charts"]["months"]
    )
    assert len(months) == 12 and "2025-04" in months
    assert months["2026-03"] == (1, 100.0)
    assert months["2026-02"] == (1, 50.0)
    assert months["2025-12"] == (0, None)
    huadu_months = dict(
        (label, (n, rate)) for label, n, rate in dashboard.figures(county.secretary, today=today)["charts"]["months"]
    )
    assert huadu_months["2026-02"] == (0, None)


def test_the_service_figures_are_the_years_totals(county):
    figures = dashboard.figures(county.admin, year=2026)
    assert figures["services"]["wages_recovered"] == Decimal("0.00")
    assert figures["year"] == 2026


def test_a_year_that_is_not_a_number_shows_this_year(county):
    response = login(county.admin).get(reverse("dashboard"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["figures"]["year"] == timezone.localdate().year


def test_the_outflow_status_chart_agrees_with_a_direct_count(county):
    from django.db.models import Count

    from members import actions
    from members.models import Member, OutflowStatus

    actions.mark_lost(county.ma_outflow, cause="other", by=county.admin)
    actions.report_arrival(county.yuan_outflow, by=county.admin)
    charts = dashboard.figures(county.admin)["charts"]
    direct = dict(Member.objects.values_list("current_outflow__status").annotate(n=Count("id")).order_by())
    labels = {None: "在家", **{s.value: str(s.label) for s in OutflowStatus}}
    assert dict(charts["statuses"]) == {labels[status]: n for status, n in direct.items()}
    assert dict(charts["provinces"]) == {"广东省": 1, "云南省": 1}


def test_the_dashboard_counts_the_inflow_members_of_the_users_branches_and_those_awaiting_report_in(county):
    from inflow.models import InflowStatus
    from tests.inflow.factories import InflowMemberFactory

    InflowMemberFactory(branch=county.huaguo)
    InflowMemberFactory(branch=county.huaguo, status=InflowStatus.PENDING, reported_on=None)
    InflowMemberFactory(branch=county.huaguo, status=InflowStatus.LEFT, left_on=datetime.date(2025, 1, 1))
    InflowMemberFactory(branch=county.zongshicun)

    assert dashboard.figures(county.admin)["inflow"] == {"here": 3, "pending": 1}
    assert dashboard.figures(county.branch)["inflow"] == {"here": 2, "pending": 1}
    assert dashboard.figures(county.outsider)["inflow"] == {"here": 1, "pending": 0}
    page = login(county.branch).get(reverse("dashboard")).content.decode()
    assert 'data-testid="inflow-here">2<' in page


def test_the_dashboard_shows_the_dues_collected_in_its_year(county):
    page = login(county.admin).get(reverse("dashboard")).content.decode()
    assert 'data-testid="dues-collected">0<' in page  # nothing paid in the persona county yet
