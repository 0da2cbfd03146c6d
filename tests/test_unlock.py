"""Administrators see on the user list who is locked out of signing in, and lift the lockout there."""

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from tests.conftest import login
from tests.factories import PASSWORD
from tests.test_accounts import sign_in


def lock_out(username: str) -> None:
    client = Client()
    for _attempt in range(5):
        sign_in(client, username, "wrong-password")
    assert sign_in(Client(), username, PASSWORD).status_code == 429


def test_the_user_list_shows_an_administrator_who_is_locked_out_with_an_unlock_button(county):
    lock_out("branch")

    response = login(county.admin).get(reverse("accounts:user_list"))

    assert response.status_code == 200
    assert response.context["table"].locked == {"branch"}
    html = response.content.decode()
    assert html.count('data-testid="locked"') == 1 and html.count('data-testid="unlock"') == 1
    assert reverse("accounts:user_unlock", args=[county.branch.pk]) in html
    assert "已锁定" in html


def test_a_few_failures_below_the_limit_do_not_show_a_user_as_locked_out(county):
    for _attempt in range(4):
        sign_in(Client(), "branch", "wrong-password")

    response = login(county.admin).get(reverse("accounts:user_list"))

    assert response.context["table"].locked == set()
    assert 'data-testid="unlock"' not in response.content.decode()


def test_an_administrator_unlocks_a_locked_out_user_who_can_then_sign_in_at_once(county):
    lock_out("branch")
    client = login(county.admin)

    response = client.post(reverse("accounts:user_unlock", args=[county.branch.pk]))

    assert response.status_code == 302
    assert response.url == reverse("accounts:user_list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["branch 已解除锁定，可以重新登录。"]
    assert not AccessAttempt.objects.filter(username="branch").exists()
    assert sign_in(Client(), "branch", PASSWORD).status_code == 302
    assert 'data-testid="unlock"' not in client.get(reverse("accounts:user_list")).content.decode()


def test_unlocking_is_audited_with_the_administrator_and_the_user(county):
    lock_out("branch")

    login(county.admin).post(reverse("accounts:user_unlock", args=[county.branch.pk]))

    entry = AuditEntry.objects.filter(action=AuditAction.WORKFLOW, object_type="lanshan_party.user").get()
    assert entry.actor == county.admin and entry.actor_name == "admin"
    assert entry.object_id == str(county.branch.pk)
    assert "解除登录锁定" in entry.note


def test_unlocking_one_user_leaves_another_locked_out(county):
    lock_out("branch")
    lock_out("township")

    login(county.admin).post(reverse("accounts:user_unlock", args=[county.branch.pk]))

    assert sign_in(Client(), "township", PASSWORD).status_code == 429


@pytest.mark.parametrize("persona", ["county_staff", "township", "secretary", "branch", "outsider"])
def test_for_anyone_but_an_administrator_the_unlock_url_does_not_exist(county, persona):
    lock_out("branch")

    response = login(getattr(county, persona)).post(reverse("accounts:user_unlock", args=[county.branch.pk]))

    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="branch").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.WORKFLOW, object_type="lanshan_party.user").exists()


def test_unlocking_is_a_post_only(county):
    lock_out("branch")

    response = login(county.admin).get(reverse("accounts:user_unlock", args=[county.branch.pk]))

    assert response.status_code == 405
    assert AccessAttempt.objects.filter(username="branch").exists()
