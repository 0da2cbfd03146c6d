"""The activity form and its attendance list answer malformed input with a form error or a 404, never a 500."""

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.conftest import login
from tests.factories import ActivityFactory
from tests.test_permissions import posted_back

# These tests post activities on fixed days of 2026, which must be in the past.
pytestmark = pytest.mark.usefixtures("on_a_fixed_day")

NOT_ONE_YOU_MAY_RECORD = "您不能为该党组织登记"


def _data(holder, **changes):
    data = {
        "organization": holder.pk,
        "type": "theme_day",
        "date": "2026-03-05",
        "hours": "2",
        "topic": "学习新修订的党章",
        "place": "村党员活动室",
        "submission": "a" * 32,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("organization", ["abc", "1.5", "1\x00", "9" * 25, "²", "[]"])
def test_an_activity_posted_with_an_organization_that_is_no_id_is_a_chinese_form_error(county, organization):
    response = login(county.branch).post(
        reverse("activities:activity_create"), _data(county.huaguo, organization=organization)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["organization"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in error) for error in errors)  # said in Chinese
    assert "\x00" in organization or any(NOT_ONE_YOU_MAY_RECORD in error for error in errors)
    assert not Activity.objects.exists()


def test_an_activity_posted_with_another_organizations_id_lists_no_roster_and_is_refused(county):
    response = login(county.branch).post(reverse("activities:activity_create"), _data(county.zongshicun))

    assert response.status_code == 200
    assert response.context["attendance"].members == []
    assert any(NOT_ONE_YOU_MAY_RECORD in error for error in response.context["form"].errors["organization"])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"organization": ""},
        {"organization": "abc"},
        {"organization": "1\x00"},
        {"organization": "9" * 25},
        {"organization": "-1"},
        {"organization": "HUAGUO", "activity": "abc"},
        {"organization": "HUAGUO", "activity": "9" * 25},
        {"organization": "HUAGUO", "activity": "1\x00"},
    ],
)
def test_the_attendance_list_asked_with_malformed_parameters_is_a_404(county, query):
    query = {key: str(county.huaguo.pk) if value == "HUAGUO" else value for key, value in query.items()}
    response = login(county.branch).get(reverse("activities:roster"), query)
    assert response.status_code == 404


def test_the_attendance_list_of_an_activity_being_edited_shows_its_members(county):
    activity = ActivityFactory(organization=county.huaguo)
    response = login(county.branch).get(
        reverse("activities:roster"), {"organization": county.huaguo.pk, "activity": activity.pk}
    )
    assert response.status_code == 200
    assert "袁芳伟" in response.content.decode()


def test_a_submission_token_that_is_not_the_forms_own_is_neither_looked_up_nor_stored(county):
    response = login(county.branch).post(
        reverse("activities:activity_create"), _data(county.huaguo, submission="x" * 100)
    )

    assert response.status_code == 302
    assert Activity.objects.get().submission is None


def test_an_edit_asked_to_remove_photos_by_odd_digits_saves_and_removes_nothing(county):
    activity = ActivityFactory(organization=county.huaguo)
    url = reverse("activities:activity_update", args=[activity.pk])
    client = login(county.branch)
    data = posted_back(
        client.get(url).context["form"], topic="改过的主题", remove_photo=["²", "①", "9" * 25, "9" * 5000]
    )

    response = client.post(url, data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.topic == "改过的主题"


@pytest.mark.parametrize("member", ["att-99999999999999999999", "att-٣٣٣"])
def test_an_attendance_row_for_an_id_no_member_has_is_refused_not_a_500(county, member):
    response = login(county.branch).post(
        reverse("activities:activity_create"), {**_data(county.huaguo), member: "present"}
    )

    assert response.status_code == 200
    assert response.context["attendance"].non_field_errors()
