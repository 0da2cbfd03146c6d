"""Hostile or nonsense input on the inflow pages is answered with the page and its errors, never a 500; a stale edit is
refused with the other change kept."""

import pytest
from django.urls import reverse

from inflow.models import InflowMember
from tests.conftest import login
from tests.test_permissions import posted_back

NONSENSE = ["", "abc", "-1", "9" * 30, "\x00", "<script>alert(1)</script>", "2024-13-40", "张" * 300, "1.5"]


@pytest.mark.parametrize("value", NONSENSE)
@pytest.mark.parametrize("url_name", ["inflow:inflowmember_list", "inflow:life_warning_list"])
def test_nonsense_in_the_filters_paging_and_sort_is_answered_without_an_error(world, url_name, value):
    client = login(world.branch)
    for name in ("q", "status", "branch", "from_province", "year", "level", "page", "per_page", "sort", "x"):
        assert client.get(reverse(url_name), {name: value}).status_code == 200, name


@pytest.mark.parametrize("value", ["abc", "9" * 30, "\x00", "2024-13-40"])
def test_nonsense_in_any_field_of_the_forms_is_an_error_on_the_form(world, value):
    client = login(world.branch)
    inflow, pending = world.in_huaguo, world.pending_huaguo
    edit_form = client.get(reverse("inflow:inflowmember_update", args=[inflow.pk])).context["form"]
    forms = {
        reverse("inflow:inflowmember_create"): {},
        reverse("inflow:inflowmember_update", args=[inflow.pk]): posted_back(edit_form),
        reverse("inflow:report_in", args=[pending.pk]): {"on": "2026-03-01", "branch": world.huaguo.pk},
        reverse("inflow:report_back", args=[inflow.pk]): {
            "reported_on": "2026-03-01",
            "channel": "phone",
            "content": "好",
        },
        reverse("inflow:end", args=[inflow.pk]): {"on": "2026-03-01", "reason": "返回原籍"},
        reverse("inflow:inflowmember_reveal", args=[inflow.pk]): {},
    }
    for url, good in forms.items():
        for name in [*good, "branch", "arrived_on", "id_number", "phone", "contact_phone", "reason"]:
            response = client.post(url, {**good, name: value})
            assert response.status_code in (200, 302, 403), (url, name, response.status_code)


def test_an_edit_made_on_a_stale_page_is_refused_and_the_other_change_is_kept(world):
    inflow = world.in_huaguo
    url = reverse("inflow:inflowmember_update", args=[inflow.pk])
    first, second = login(world.branch), login(world.township)
    stale = posted_back(second.get(url).context["form"], occupation="司机")
    assert first.post(url, posted_back(first.get(url).context["form"], occupation="厨师")).status_code == 302

    response = second.post(url, stale)

    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert InflowMember.objects.get(pk=inflow.pk).occupation == "厨师"


def test_a_save_that_would_move_the_member_out_of_the_users_branches_is_refused(world):
    inflow = world.in_huaguo
    client = login(world.branch)
    url = reverse("inflow:inflowmember_update", args=[inflow.pk])
    response = client.post(url, posted_back(client.get(url).context["form"], branch=world.zongshicun.pk))
    assert response.status_code == 200 and "branch" in response.context["form"].errors
    assert InflowMember.objects.get(pk=inflow.pk).branch == world.huaguo
