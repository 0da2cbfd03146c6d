"""The lost register (失联党员名册, the member list at ?status=lost): each member's cause and the day they were
marked lost, and a filter by the seven official causes. The member ledger's two columns: tests/ledgers/test_lost_causes.py."""

from django.urls import reverse

from members import actions
from members.models import LostCause
from tests.conftest import login
from tests.members.outflow_steps import days_ago

LIST = reverse("members:member_list")


def lose_both(county):
    actions.mark_lost(county.yuan_outflow, cause=LostCause.MOVED, by=county.admin, on=days_ago(10))
    actions.mark_lost(county.ma_outflow, cause=LostCause.ABROAD, by=county.admin, on=days_ago(20))


def test_the_lost_register_shows_each_members_cause_and_the_day_they_were_lost(county):
    lose_both(county)

    html = login(county.township).get(LIST, {"status": "lost"}).content.decode()

    assert "袁芳伟" in html and "居住地变" in html and days_ago(10).isoformat() in html
    assert "马云" not in html  # 总市镇: outside the township's scope


def test_the_lost_register_filters_by_the_official_causes(county):
    lose_both(county)
    client = login(county.admin)

    response = client.get(LIST, {"status": "lost", "lost_cause": LostCause.ABROAD})

    names = [row.record.name for row in response.context["table"].paginated_rows]
    assert names == ["马云"]
    choices = dict(response.context["filter"].form.fields["lost_cause"].choices)
    assert all(value in choices for value in LostCause.values)


def test_the_member_list_outside_the_lost_register_has_no_lost_columns(county):
    lose_both(county)

    response = login(county.admin).get(LIST)

    shown = [column.name for column in response.context["table"].columns if column.visible]
    assert "status" in shown and "lost_cause" not in shown and "lost_on" not in shown
