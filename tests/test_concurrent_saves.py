"""Two saves at the same moment: one wins, the other is told, and nothing is silently overwritten or a 500.

Each race is tested twice: deterministically on any database, by making the other save land between this form's
checks and its write; and for real on PostgreSQL, with two requests on two connections held together at that point.
"""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from lanshan_party.forms import StaleEditMixin
from lanshan_party.personal_data import blind_index
from members.forms import MemberForm
from members.models import Member
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory, make_id_number
from tests.test_permissions import posted_back

STALE = "已被他人修改"
DUPLICATE = "已有党员使用该公民身份号码"


def edit_form(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    return posted_back(client.get(url).context["form"], **changes)


def new_member(county: Any, id_number: str, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "id_number": id_number,
        "ethnicity": "汉族",
        "category": "full",
        "standing": "normal",
        "home_branch": county.huaguo.pk,
    }


def after_the_check(monkeypatch: pytest.MonkeyPatch, cls: type, method: str, then: Any) -> None:
    """Run `then` right after `cls.method` has passed: the moment between a form's checks and its save."""
    original = getattr(cls, method)

    def checked_then(self: Any) -> Any:
        result = original(self)
        then()
        return result

    monkeypatch.setattr(cls, method, checked_then)


def test_a_member_changed_between_the_forms_check_and_its_save_is_not_overwritten(county, monkeypatch):
    url = reverse("members:member_update", args=[county.yuan.pk])
    client = login(county.admin)
    data = edit_form(client, url, note="我的备注")
    other_save = lambda: Member.objects.filter(pk=county.yuan.pk).update(note="别人的备注", updated_at=timezone.now())  # noqa: E731
    after_the_check(monkeypatch, StaleEditMixin, "clean", other_save)

    response = client.post(url, data)

    assert response.status_code == 200
    assert STALE in response.content.decode()
    county.yuan.refresh_from_db()
    assert county.yuan.note == "别人的备注"


@pytest.mark.usefixtures("on_a_fixed_day")  # the factory's activity is on a fixed day of 2026
def test_an_activity_changed_between_the_forms_check_and_its_save_is_not_overwritten(county, monkeypatch):
    activity = ActivityFactory(organization=county.huaguo, topic="原来的主题")
    url = reverse("activities:activity_update", args=[activity.pk])
    client = login(county.admin)
    data = edit_form(client, url, topic="我的主题")
    other_save = lambda: Activity.objects.filter(pk=activity.pk).update(topic="别人的主题", updated_at=timezone.now())  # noqa: E731
    after_the_check(monkeypatch, StaleEditMixin, "clean", other_save)

    response = client.post(url, data)

    assert response.status_code == 200
    assert STALE in response.content.decode()
    activity.refresh_from_db()
    assert activity.topic == "别人的主题"


def test_an_edit_of_an_unchanged_member_still_saves(county):
    url = reverse("members:member_update", args=[county.yuan.pk])
    client = login(county.admin)

    response = client.post(url, edit_form(client, url, note="我的备注"))

    assert response.status_code == 302
    county.yuan.refresh_from_db()
    assert county.yuan.note == "我的备注"


def test_an_id_number_saved_by_someone_else_between_the_check_and_the_save_is_a_form_error(county, monkeypatch):
    number = make_id_number(7001)
    after_the_check(monkeypatch, MemberForm, "clean_id_number", lambda: MemberFactory(id_number=number, name="先到"))

    response = login(county.admin).post(reverse("members:member_create"), new_member(county, number, "后到"))

    assert response.status_code == 200
    assert any(DUPLICATE in error for error in response.context["form"].errors["id_number"])
    assert list(Member.objects.filter(id_number_hash=blind_index(number)).values_list("name", flat=True)) == ["先到"]


def race(*requests: Any) -> list[Any]:
    """Run each request in its own thread and database connection; return the responses in order."""
    responses: list[Any] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(i: int, request: Any) -> None:
        try:
            responses[i] = request()
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def held_together(monkeypatch: pytest.MonkeyPatch, cls: type, method: str) -> None:
    """Both requests pass `cls.method` before either goes on to save."""
    barrier = threading.Barrier(2, timeout=20)
    after_the_check(monkeypatch, cls, method, barrier.wait)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_member_keep_the_first_and_tell_the_second(county, monkeypatch):
    url = reverse("members:member_update", args=[county.yuan.pk])
    alice, bob = login(county.admin), login(county.branch)
    alice_data, bob_data = edit_form(alice, url, note="阿里斯的备注"), edit_form(bob, url, note="鲍勃的备注")
    held_together(monkeypatch, StaleEditMixin, "clean")

    responses = race(lambda: alice.post(url, alice_data), lambda: bob.post(url, bob_data))

    assert sorted(r.status_code for r in responses) == [200, 302]
    winner = "阿里斯的备注" if responses[0].status_code == 302 else "鲍勃的备注"
    loser = next(r for r in responses if r.status_code == 200)
    assert STALE in loser.content.decode()
    county.yuan.refresh_from_db()
    assert county.yuan.note == winner


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_with_one_id_number_make_one_member_and_a_form_error(county, monkeypatch):
    number = make_id_number(7002)
    url = reverse("members:member_create")
    alice, bob = login(county.admin), login(county.township)
    held_together(monkeypatch, MemberForm, "clean_id_number")

    responses = race(
        lambda: alice.post(url, new_member(county, number, "阿里斯录入")),
        lambda: bob.post(url, new_member(county, number, "鲍勃录入")),
    )

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = next(r for r in responses if r.status_code == 200)
    assert any(DUPLICATE in error for error in loser.context["form"].errors["id_number"])
    assert Member.objects.filter(id_number_hash=blind_index(number)).count() == 1
