"""A step that takes the member out of the user's scope (a flowing organization's secretary once the member has
returned or been transferred) sends them back to their member list, saying so, instead of to a page that is a 404."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import login
from tests.members.outflow_steps import S, outflow_post_data, reload, step


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("event", "status"), [("return", S.RETURNED), ("transfer", S.TRANSFERRED)])
def test_a_flowing_secretary_recording_a_return_or_transfer_goes_back_to_their_list_told_the_member_left_it(
    county, event, status
):
    client = login(county.secretary)

    response = step(client, county.yuan_outflow, event, note="离开花都")

    assert reload(county.yuan_outflow).status == status
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("members:member_list")
    (message,) = messages_of(response)
    assert "袁芳伟" in message and "已不在本组织的名单中" in message
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_home_branch_secretary_recording_a_return_stays_on_the_members_page(county):
    client = login(county.branch)

    response = step(client, county.yuan_outflow, "return")

    assert response.headers["Location"] == county.yuan.get_absolute_url()
    assert messages_of(response) == ["已返乡：已记录。"]


def test_a_flowing_secretary_moving_a_member_to_another_flowing_organization_goes_back_to_their_list(county):
    client = login(county.secretary)
    url = reverse("members:outflow_update", args=[county.yuan_outflow.pk])

    response = client.post(url, outflow_post_data(province="云南省", city="昆明市", district="官渡区"))

    assert reload(county.yuan_outflow).flowing_org == county.kunming
    assert response.headers["Location"] == reverse("members:member_list")
    assert "袁芳伟" in messages_of(response)[0]
