"""Whereabouts moved into another flowing organization's area: after saving, the member's page proposes handing the
member over to it, one click, audited; nothing moves by itself."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members import actions
from members.models import Member, OutflowEventKind
from tests.conftest import login
from tests.factories import FlowingOrgFactory
from tests.members.outflow_steps import outflow_post_data, reload


@pytest.fixture
def nanhai(county):
    return FlowingOrgFactory(
        name="中共蓝山县驻佛山市南海区流动党员支部委员会",
        parent=county.committee,
        province="广东省",
        city="佛山市",
        district="南海区",
    )


def move_to_nanhai(client, county):
    """The whereabouts form as a browser posts it: the flowing organization dropdown keeps the current one."""
    url = reverse("members:outflow_update", args=[county.yuan_outflow.pk])
    data = outflow_post_data(
        city="佛山市", district="南海区", flowing_org=county.huadu.pk, partner_org=county.partner_org.pk
    )
    return client.post(url, data)


def test_moving_the_whereabouts_into_another_flowing_organizations_area_proposes_a_hand_over(county, nanhai):
    client = login(county.secretary)

    response = move_to_nanhai(client, county)

    assert reload(county.yuan_outflow).flowing_org == county.huadu  # not automatic
    assert response.headers["Location"] == county.yuan.get_absolute_url()
    assert any(nanhai.name in str(message) for message in get_messages(response.wsgi_request))
    page = client.get(county.yuan.get_absolute_url())
    assert page.context["handover_to"] == nanhai
    assert 'data-testid="handover"' in page.content.decode()


def test_one_click_hands_the_member_over_audited_and_the_old_secretary_goes_back_to_their_list(county, nanhai):
    client = login(county.secretary)
    move_to_nanhai(client, county)

    response = client.post(reverse("members:outflow_hand_over", args=[county.yuan_outflow.pk]), {"to": nanhai.pk})

    assert reload(county.yuan_outflow).flowing_org == nanhai
    assert Member.objects.get(pk=county.yuan.pk).flowing_org == nanhai
    assert Member.objects.get(pk=county.yuan.pk).partner_org is None  # Huadu's partner has no agreement for Nanhai
    assert response.headers["Location"] == reverse("members:member_list")  # no longer theirs
    assert reload(county.yuan_outflow).events.filter(kind=OutflowEventKind.HAND_OVER).count() == 1
    entry = AuditEntry.objects.filter(action=AuditAction.WORKFLOW, actor=county.secretary).latest("id")
    assert nanhai.name in entry.note


def test_the_home_branch_secretary_stays_on_the_members_page_after_a_hand_over(county, nanhai):
    client = login(county.branch)
    move_to_nanhai(client, county)

    response = client.post(reverse("members:outflow_hand_over", args=[county.yuan_outflow.pk]), {"to": nanhai.pk})

    assert response.headers["Location"] == county.yuan.get_absolute_url()
    assert client.get(county.yuan.get_absolute_url()).context["handover_to"] is None


def test_no_hand_over_is_proposed_while_the_whereabouts_stay_in_the_organizations_area(county, nanhai):
    client = login(county.secretary)
    url = reverse("members:outflow_update", args=[county.yuan_outflow.pk])

    client.post(url, outflow_post_data(district="白云区", flowing_org=county.huadu.pk))

    assert actions.handover_candidate(reload(county.yuan_outflow)) is None
    assert client.get(county.yuan.get_absolute_url()).context["handover_to"] is None


def test_a_hand_over_to_an_organization_not_proposed_changes_nothing(county, nanhai):
    client = login(county.secretary)

    response = client.post(
        reverse("members:outflow_hand_over", args=[county.yuan_outflow.pk]), {"to": county.kunming.pk}
    )

    assert response.status_code == 302 and reload(county.yuan_outflow).flowing_org == county.huadu
    assert not reload(county.yuan_outflow).events.filter(kind=OutflowEventKind.HAND_OVER).exists()


def test_a_hand_over_outside_the_users_scope_is_a_404_and_a_partner_may_not_hand_over(county, nanhai):
    url = reverse("members:outflow_hand_over", args=[county.yuan_outflow.pk])

    assert login(county.outsider).post(url, {"to": nanhai.pk}).status_code == 404
    assert login(county.partner).post(url, {"to": nanhai.pk}).status_code == 403
    assert reload(county.yuan_outflow).flowing_org == county.huadu


def test_a_second_click_on_a_stale_page_is_told_and_changes_nothing(county, nanhai):
    client = login(county.branch)
    move_to_nanhai(client, county)
    url = reverse("members:outflow_hand_over", args=[county.yuan_outflow.pk])
    client.post(url, {"to": nanhai.pk})
    events = reload(county.yuan_outflow).events.count()

    response = client.post(url, {"to": nanhai.pk})

    assert response.status_code == 302 and reload(county.yuan_outflow).events.count() == events
