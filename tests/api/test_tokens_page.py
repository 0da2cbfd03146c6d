"""The API tokens page: a user with the right makes a token (its value shown once, only its hash kept) and revokes
it, both in the audit log; an administrator sees and may revoke everybody's; nobody else reaches another's token."""

import re

import pytest
from django.urls import reverse

from api.models import ApiToken, hash_token
from lanshan_party.models import AuditAction, AuditEntry
from tests.api.conftest import API_ROLES, PERSONA, api_get
from tests.conftest import login

PAGE = "api:token_list"


def _submission(response) -> str:
    return re.search(r'name="submission" value="([0-9a-f]{32})"', response.content.decode())[1]


def _make(client, name="省平台", valid_days="90"):
    page = client.get(reverse(PAGE))
    return client.post(reverse(PAGE), {"name": name, "valid_days": valid_days, "submission": _submission(page)})


@pytest.mark.parametrize(
    ("role", "expected"),
    [(role, 403 if role == "partner" else 200) for role in API_ROLES],
    ids=lambda value: str(value),
)
def test_the_tokens_page_is_open_to_roles_with_the_api_right_only(world, role, expected):
    assert login(getattr(world, PERSONA[role])).get(reverse(PAGE)).status_code == expected


def test_an_anonymous_visitor_is_sent_to_the_login_page(world):
    from django.test import Client

    response = Client().get(reverse(PAGE))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_making_a_token_shows_its_value_once_keeps_only_its_hash_and_audits_it(world):
    client = login(world.branch)
    response = _make(client)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    value = re.search(r'value="(lsp_[\w-]+)"', response.content.decode())[1]
    token = ApiToken.objects.get(token_hash=hash_token(value))
    assert token.user == world.branch and token.name == "省平台" and token.expires_at is not None
    assert value not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert api_get(value, reverse("api:v1:member_list")).status_code == 200
    assert value not in client.get(reverse(PAGE)).content.decode()  # never shown again
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="api.apitoken", object_id=str(token.pk))
    assert entry.get().actor == world.branch
    assert value not in str(entry.get().changes) and token.token_hash not in str(entry.get().changes)


def test_the_same_form_posted_twice_makes_one_token_and_says_so(world):
    client = login(world.branch)
    page = client.get(reverse(PAGE))
    data = {"name": "重复提交", "valid_days": "", "submission": _submission(page)}
    first = client.post(reverse(PAGE), data)
    second = client.post(reverse(PAGE), data, follow=True)
    assert first.status_code == 200 and second.status_code == 200
    assert ApiToken.objects.filter(name="重复提交").count() == 1
    assert not re.search(r'value="lsp_', second.content.decode())


def test_a_token_without_a_name_is_refused_with_a_message_on_the_field(world):
    client = login(world.branch)
    page = client.get(reverse(PAGE))
    response = client.post(reverse(PAGE), {"name": "  ", "valid_days": "90", "submission": _submission(page)})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert not ApiToken.objects.filter(user=world.branch, name="").exists()


def test_a_user_revokes_their_own_token_and_a_second_click_changes_nothing(world):
    client = login(world.branch)
    url = reverse("api:token_revoke", args=[world.branch_token.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    world.branch_token.refresh_from_db()
    assert world.branch_token.revoked_by == world.branch and world.branch_token.revoked_at is not None
    updates = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="api.apitoken", object_id=str(world.branch_token.pk)
    )
    assert updates.count() == 1
    assert api_get(world.tokens["branch"], reverse("api:v1:member_list")).status_code == 401


def test_nobody_but_an_administrator_reaches_another_users_token(world):
    url = reverse("api:token_revoke", args=[world.branch_token.pk])
    assert login(world.township).post(url).status_code == 404
    assert login(world.county_staff).post(url).status_code == 404
    assert "branch 的令牌" not in login(world.township).get(reverse(PAGE)).content.decode()
    world.branch_token.refresh_from_db()
    assert world.branch_token.revoked_at is None


def test_an_administrator_sees_every_token_and_revokes_anyones(world):
    page = login(world.admin).get(reverse(PAGE)).content.decode()
    assert "branch 的令牌" in page and "township 的令牌" in page
    assert login(world.admin).post(reverse("api:token_revoke", args=[world.branch_token.pk])).status_code == 302
    world.branch_token.refresh_from_db()
    assert world.branch_token.revoked_by == world.admin
    assert api_get(world.tokens["branch"], reverse("api:v1:member_list")).status_code == 401


def test_revoking_is_a_post_only(world):
    assert login(world.branch).get(reverse("api:token_revoke", args=[world.branch_token.pk])).status_code == 405


def test_the_menu_links_to_the_tokens_page_for_roles_with_the_right_only(world):
    assert reverse(PAGE) in login(world.branch).get(reverse("home")).content.decode()
    assert reverse(PAGE) not in login(world.partner).get(reverse("home")).content.decode()
