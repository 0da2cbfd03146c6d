"""The member picker: search as you type, and never a name the user may not see, not even one posted by hand."""

from django.urls import reverse

from tests.conftest import login


def test_the_search_finds_members_the_user_may_see_by_name_id_number_or_phone(county):
    client = login(county.township)
    for text in ("袁芳", county.yuan.id_number, county.yuan.phone):
        found = client.post(reverse("members:member_search"), {"q": text}).content.decode()
        assert f'data-pk="{county.yuan.pk}"' in found
    assert "马云" not in client.post(reverse("members:member_search"), {"q": "马云"}).content.decode()
    assert "马云" not in client.post(reverse("members:member_search"), {"q": county.ma.id_number}).content.decode()


def test_a_full_id_number_or_phone_in_the_search_address_is_not_searched(county):
    client = login(county.township)
    assert f'data-pk="{county.yuan.pk}"' in client.get(reverse("members:member_search"), {"q": "袁芳"}).content.decode()
    for text in (county.yuan.id_number, county.yuan.phone):
        found = client.get(reverse("members:member_search"), {"q": text}).content.decode()
        assert f'data-pk="{county.yuan.pk}"' not in found


def test_a_form_page_lists_no_members_in_a_dropdown(county):
    html = login(county.admin).get(reverse("services:servicecase_create")).content.decode()
    assert "覃文英" not in html and "马云" not in html
    assert 'class="member-picker"' in html


def test_a_hand_posted_outside_member_is_refused_without_showing_their_name(county):
    response = login(county.township).post(
        reverse("services:servicecase_create"),
        {
            "kind": "other",
            "date": "2026-03-01",
            "organization": county.huaguo.pk,
            "member": county.ma.pk,
            "description": "越权测试",
            "people_helped": 1,
            "outcome": "resolved",
        },
    )
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert "马云" not in response.content.decode()


def test_a_picked_member_is_shown_by_name_when_the_form_comes_back_with_errors(county):
    response = login(county.township).post(
        reverse("services:servicecase_create"), {"kind": "other", "member": county.yuan.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="member" value="{county.yuan.pk}"' in html and "袁芳伟" in html
