"""Signing in and out, lockout after repeated failures, account management and the audit log."""

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry, Role, User
from tests.conftest import login
from tests.factories import PASSWORD

NEW_PASSWORD = "Lanshan-flowing-2026"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def new_user_data(**overrides):
    data = {
        "username": "leixiaojun",
        "full_name": "雷小军",
        "email": "lei@example.com",
        "role": Role.TOWNSHIP,
        "organization": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def update_user_data(user, **overrides):
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "role": user.role,
        "organization": user.organization_id,
        "new_password": "",
    }
    if user.may_reveal:
        data["may_reveal"] = "on"
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# ---------------------------------------------------------------- signing in


def test_the_login_page_renders_for_an_anonymous_visitor(db):
    response = Client().get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_login_page_speaks_chinese_even_to_an_english_browser(db):
    response = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert "蓝山县流动党员管理平台" in response.content.decode() and "Sign in" not in response.content.decode()


def test_other_pages_send_an_anonymous_visitor_to_the_login_page(db):
    response = Client().get(reverse("members:member_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_successful_login_is_audited_with_the_ip(county):
    client = Client()
    response = sign_in(client, "branch", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == str(county.branch.pk)
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == county.branch
    assert entry.actor_name == "branch"
    assert entry.ip == "127.0.0.1"


def test_a_failed_login_is_audited_with_the_attempted_username(county):
    client = Client()
    response = sign_in(client, "branch", "wrong-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert signed_in_as(client) is None
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.note == "branch"
    assert entry.object_repr == "branch"
    assert entry.ip == "127.0.0.1"
    assert "wrong-password" not in json.dumps(
        list(AuditEntry.objects.values("changes", "note", "object_repr")), ensure_ascii=False
    )


def test_a_login_with_an_unknown_username_is_audited(db):
    sign_in(Client(), "nobody-here", "whatever-123")

    assert AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED).note == "nobody-here"


def test_it_locks_the_account_after_five_failures_even_for_the_right_password(county, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _attempt in range(5):
        sign_in(client, "branch", "wrong-password")

    response = sign_in(client, "branch", PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert signed_in_as(client) is None
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() >= 5


def test_four_failures_do_not_lock_the_account(county):
    client = Client()
    for _attempt in range(4):
        assert sign_in(client, "branch", "wrong-password").status_code == 200

    assert sign_in(client, "branch", PASSWORD).status_code == 302
    assert signed_in_as(client) == str(county.branch.pk)


def test_the_lockout_is_per_account_so_others_can_still_sign_in(county):
    for _attempt in range(5):
        sign_in(Client(), "branch", "wrong-password")

    client = Client()
    assert sign_in(client, "township", PASSWORD).status_code == 302
    assert signed_in_as(client) == str(county.township.pk)


def test_signing_out_is_audited(county):
    client = Client()
    sign_in(client, "branch", PASSWORD)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert signed_in_as(client) is None
    entry = AuditEntry.objects.get(action=AuditAction.LOGOUT)
    assert entry.actor == county.branch
    assert entry.ip == "127.0.0.1"


# ---------------------------------------------------------------- passwords


def test_a_user_changes_their_password_through_the_page(county):
    client = login(county.branch)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert client.get(response.url).status_code == 200
    assert sign_in(Client(), "branch", PASSWORD).status_code == 200
    fresh = Client()
    assert sign_in(fresh, "branch", NEW_PASSWORD).status_code == 302
    assert signed_in_as(fresh) == str(county.branch.pk)


def test_a_password_change_needs_the_old_password(county):
    response = login(county.branch).post(
        reverse("password_change"),
        {"old_password": "not-it-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    county.branch.refresh_from_db()
    assert county.branch.check_password(PASSWORD)


# ---------------------------------------------------------------- account management


def test_an_administrator_creates_a_township_user_who_can_sign_in(county):
    response = login(county.admin).post(reverse("accounts:user_create"), new_user_data(organization=county.zongshi.pk))

    assert response.status_code == 302
    assert response.url == reverse("accounts:user_list")
    user = User.objects.get(username="leixiaojun")
    assert user.role == Role.TOWNSHIP
    assert user.organization == county.zongshi
    assert user.may_reveal is False
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="lanshan_party.user", object_id=str(user.pk)
    ).exists()
    client = Client()
    assert sign_in(client, "leixiaojun", NEW_PASSWORD).status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_the_new_user_sees_only_their_township(county):
    login(county.admin).post(reverse("accounts:user_create"), new_user_data(organization=county.zongshi.pk))
    client = Client()
    sign_in(client, "leixiaojun", NEW_PASSWORD)

    response = client.get(reverse("members:member_list"))

    assert [m.name for m in response.context["filter"].qs] == ["马云"]


def test_it_rejects_a_township_user_bound_to_a_village_branch(county):
    response = login(county.admin).post(reverse("accounts:user_create"), new_user_data(organization=county.huaguo.pk))

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not User.objects.filter(username="leixiaojun").exists()


def test_it_rejects_a_role_change_that_no_longer_fits_the_organization(county):
    branch = county.branch
    response = login(county.admin).post(
        reverse("accounts:user_update", args=[branch.pk]), update_user_data(branch, role=Role.TOWNSHIP)
    )

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    branch.refresh_from_db()
    assert branch.role == Role.SECRETARY


def test_it_rejects_two_different_passwords(county):
    response = login(county.admin).post(
        reverse("accounts:user_create"), new_user_data(organization=county.zongshi.pk, password2=NEW_PASSWORD + "x")
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="leixiaojun").exists()


def test_it_rejects_a_weak_password(county):
    response = login(county.admin).post(
        reverse("accounts:user_create"),
        new_user_data(organization=county.zongshi.pk, password1="12345678", password2="12345678"),
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors


def test_an_administrator_disables_a_user_who_then_cannot_sign_in(county):
    branch = county.branch
    already_signed_in = Client()
    sign_in(already_signed_in, "branch", PASSWORD)

    response = login(county.admin).post(
        reverse("accounts:user_update", args=[branch.pk]), update_user_data(branch, is_active=None)
    )

    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.is_active is False
    client = Client()
    assert sign_in(client, "branch", PASSWORD).status_code == 200
    assert signed_in_as(client) is None
    # and a session opened before is no longer accepted
    assert already_signed_in.get(reverse("members:member_list")).status_code == 302


def test_an_administrator_sets_a_new_password_for_a_user(county):
    branch = county.branch
    response = login(county.admin).post(
        reverse("accounts:user_update", args=[branch.pk]), update_user_data(branch, new_password=NEW_PASSWORD)
    )

    assert response.status_code == 302
    assert sign_in(Client(), "branch", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("persona", ["county_staff", "township", "secretary", "branch"])
def test_only_administrators_manage_users(county, persona):
    client = login(getattr(county, persona))

    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert (
        client.post(reverse("accounts:user_create"), new_user_data(organization=county.zongshi.pk)).status_code == 403
    )
    assert client.get(reverse("accounts:user_update", args=[county.outsider.pk])).status_code == 403
    assert not User.objects.filter(username="leixiaojun").exists()


def test_audit_entries_for_accounts_say_the_password_changed_without_holding_its_hash(county):
    client = login(county.admin)
    client.post(reverse("accounts:user_create"), new_user_data(organization=county.zongshi.pk))
    user = User.objects.get(username="leixiaojun")
    client.post(
        reverse("accounts:user_update", args=[user.pk]), update_user_data(user, new_password=NEW_PASSWORD + "!")
    )
    user.refresh_from_db()

    entries = AuditEntry.objects.filter(object_type="lanshan_party.user", object_id=str(user.pk))
    everything = json.dumps(list(AuditEntry.objects.values("changes", "note")), ensure_ascii=False)

    assert [entry.action for entry in entries.order_by("id")] == [AuditAction.CREATE, AuditAction.UPDATE]
    update = entries.order_by("id").last()
    old, new = update.changes["password"]  # the log shows that the password changed …
    assert old != new and old.startswith("已设置") and new.startswith("已设置")
    assert user.password not in everything  # … never the hash itself
    assert "$" not in json.dumps([entry.changes for entry in entries])
    assert NEW_PASSWORD not in everything


# ---------------------------------------------------------------- the audit log


def test_an_audit_entry_cannot_be_changed(county):
    entry = AuditEntry.objects.filter(action=AuditAction.WORKFLOW).first()
    entry.note = "改过了"

    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).note != "改过了"


def test_an_audit_entry_cannot_be_deleted(county):
    entry = AuditEntry.objects.filter(action=AuditAction.WORKFLOW).first()

    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_audit_log_page_lists_entries_for_administrators(county):
    sign_in(Client(), "branch", "wrong-password")
    response = login(county.admin).get(reverse("accounts:audit_log"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "袁芳伟" in html  # the fixture's workflow entries
    assert "branch" in html  # the failed login
    assert len(response.context["filter"].qs) == AuditEntry.objects.count()


def test_the_audit_log_can_be_filtered_by_action(county):
    sign_in(Client(), "branch", "wrong-password")

    response = login(county.admin).get(reverse("accounts:audit_log"), {"action": AuditAction.LOGIN_FAILED})

    assert [e.note for e in response.context["filter"].qs] == ["branch"]


@pytest.mark.parametrize("persona", ["county_staff", "township", "secretary", "branch"])
def test_only_administrators_see_the_audit_log(county, persona):
    assert login(getattr(county, persona)).get(reverse("accounts:audit_log")).status_code == 403


def test_an_administrator_sets_a_users_mobile_for_text_reminders_and_the_form_never_shows_it_again(county):
    from django.urls import reverse

    from tests.conftest import login

    client = login(county.admin)
    url = reverse("accounts:user_update", args=[county.secretary.pk])
    form = client.get(url).context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None and k != "password"}, "mobile": "138 0013 8000"}
    data.update(role=county.secretary.role, organization=county.huadu.pk, is_active="on", full_name="花都书记")
    data.pop("may_reveal", None)
    assert client.post(url, data).status_code == 302
    county.secretary.refresh_from_db()
    assert county.secretary.mobile == "13800138000"
    page = client.get(url).content.decode()
    assert "13800138000" not in page and "138****8000" in page
    data["mobile"] = ""
    client.post(url, data)
    county.secretary.refresh_from_db()
    assert county.secretary.mobile == "13800138000"  # empty keeps the stored number
    data["mobile"] = "12345"
    response = client.post(url, data)
    assert "mobile" in response.context["form"].errors


def test_every_organization_kind_a_role_may_be_bound_to_is_a_kind_organizations_have():
    from lanshan_party.models import ROLE_ORG_KINDS
    from organizations.models import OrgKind

    assert set(ROLE_ORG_KINDS) == set(Role.values)
    assert {kind for kinds in ROLE_ORG_KINDS.values() for kind in kinds} <= set(OrgKind.values)
