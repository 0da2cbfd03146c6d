"""Who may open which census and reminder page, in the style of tests/test_permissions.py.

Campaigns: one over the whole county (everyone's), one over 总市镇 and one over 塔峰镇. Tasks of the county-wide
campaign: 袁芳伟's (花果村, away in Huadu) and 马云's (总市村, away in Kunming).
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from lanshan_party import notifications
from lanshan_party.models import AuditAction, AuditEntry, Channel, Notification, NotificationKind
from members import census
from members.models import CensusCampaign, CensusTask
from tests.conftest import login
from tests.test_permissions import (
    ANY,
    INSIDE,
    N_A,
    OUTSIDE,
    PERSONA,
    matrix_cells,
)

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              campaign                        task                          reminder
    "admin":     {"campaign": ("c_zongshi", N_A),   "task": ("t_ma", N_A),        "reminder": ("n_admin", "n_outsider")},
    "county":    {"campaign": ("c_zongshi", N_A),   "task": ("t_ma", N_A),        "reminder": ("n_county", "n_outsider")},
    "township":  {"campaign": ("c_all", "c_zongshi"), "task": ("t_yuan", "t_ma"), "reminder": ("n_township", "n_outsider")},
    "secretary": {"campaign": ("c_all", "c_zongshi"), "task": ("t_yuan", "t_ma"), "reminder": ("n_secretary", "n_outsider")},
    "branch":    {"campaign": ("c_tafeng", "c_zongshi"), "task": ("t_yuan", "t_ma"), "reminder": ("n_branch", "n_outsider")},
    "outsider":  {"campaign": ("c_zongshi", "c_tafeng"), "task": ("t_ma", "t_yuan"), "reminder": ("n_outsider", "n_branch")},
    "partner":   {"campaign": (N_A, "c_zongshi"),     "task": (N_A, "t_yuan"),       "reminder": ("n_partner", "n_outsider")},
}  # fmt: skip

#                                                      admin county township secretary branch outsider partner
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_campaign_list", ANY):                        (200,  200,   200,     200,      200,   200,   200),
    ("the_new_campaign_form", ANY):                    (200,  200,   403,     403,      403,   403,   403),
    ("the_proposed_window", ANY):                      (200,  200,   200,     200,      200,   200,   200),
    ("the_progress_page_of_a_campaign", INSIDE):       (200,  200,   200,     200,      200,   200,   N_A),
    ("the_progress_page_of_a_campaign", OUTSIDE):      (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_edit_form_of_a_campaign", INSIDE):           (200,  200,   403,     403,      403,   403,   N_A),
    ("opening_a_campaign", INSIDE):                    (302,  302,   403,     403,      403,   403,   N_A),
    ("the_census_task_list", ANY):                     (200,  200,   200,     200,      200,   200,   200),
    ("the_answer_form_of_a_task", INSIDE):             (200,  200,   200,     200,      200,   200,   N_A),
    ("the_answer_form_of_a_task", OUTSIDE):            (N_A,  N_A,   404,     404,      404,   404,   404),
    ("saving_an_answer", INSIDE):                      (302,  302,   302,     302,      302,   302,   N_A),
    ("saving_an_answer", OUTSIDE):                     (N_A,  N_A,   404,     404,      404,   404,   404),
    ("calling_the_member_of_a_task", INSIDE):          (200,  200,   200,     200,      200,   200,   N_A),
    ("calling_the_member_of_a_task", OUTSIDE):         (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_reminder_inbox", ANY):                       (200,  200,   200,     200,      200,   200,   200),
    ("marking_every_reminder_read", ANY):              (302,  302,   302,     302,      302,   302,   302),
    ("opening_a_reminder", INSIDE):                    (302,  302,   302,     302,      302,   302,   302),
    ("opening_a_reminder", OUTSIDE):                   (404,  404,   404,     404,      404,   404,   404),
}  # fmt: skip


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None
    method: str = "get"
    extra: tuple[Any, ...] = ()


PAGES = {
    "the_campaign_list": Page("members:campaign_list"),
    "the_new_campaign_form": Page("members:campaign_create"),
    "the_proposed_window": Page("members:campaign_window"),
    "the_progress_page_of_a_campaign": Page("members:campaign_detail", "campaign"),
    "the_edit_form_of_a_campaign": Page("members:campaign_update", "campaign"),
    "opening_a_campaign": Page("members:campaign_step", "campaign", "post", ("open",)),
    "the_census_task_list": Page("members:censustask_list"),
    "the_answer_form_of_a_task": Page("members:censustask_answer", "task"),
    "saving_an_answer": Page("members:censustask_answer", "task", "post"),
    "calling_the_member_of_a_task": Page("members:censustask_call", "task", "post"),
    "the_reminder_inbox": Page("notification_list"),
    "marking_every_reminder_read": Page("notification_read_all", method="post"),
    "opening_a_reminder": Page("notification_open", "reminder", "post"),
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    day = datetime.date(2026, 2, 1)
    for attribute, org in (("c_all", county.committee), ("c_zongshi", county.zongshi), ("c_tafeng", county.tafeng)):
        campaign = CensusCampaign.objects.create(
            name=f"{org.name}摸排", starts_on=day, ends_on=day + datetime.timedelta(30)
        )
        campaign.organizations.add(org)
        setattr(county, attribute, campaign)
    census.open_campaign(county.c_all, by=county.admin)
    county.t_yuan = CensusTask.objects.get(campaign=county.c_all, member=county.yuan)
    county.t_ma = CensusTask.objects.get(campaign=county.c_all, member=county.ma)
    for role, persona in PERSONA.items():
        user = getattr(county, persona)
        notifications.write(
            [notifications.Reminder(f"perm:{role}", user, NotificationKind.LIFE_WARNING, f"{role}的提醒", "", "/")]
        )
        # Opening the campaign sends its own reminders too (overdue ones once its deadline has passed): take this one.
        mine = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, key__startswith=f"perm:{role}")
        setattr(county, f"n_{role}", mine.get())
    notifications.dispatch_due()
    return county


def test_the_matrix_covers_every_census_and_reminder_page():
    from members.urls import urlpatterns

    census_names = {f"members:{p.name}" for p in urlpatterns if "census" in str(p.pattern)}
    assert census_names <= {page.url_name for page in PAGES.values()}
    assert {page for page, _scope in EXPECTED} == set(PAGES)


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_census_permission_matrix(world, role, page_name, scope, expected):
    page = PAGES[page_name]
    obj = None
    if page.target:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope in (ANY, INSIDE) else outside)
    url = reverse(page.url_name, args=[obj.pk, *page.extra] if obj is not None else [])
    data = {}
    if page_name == "saving_an_answer":
        data = {"contacted": "true", "channel": "phone", "result": "normal", "note": "由权限矩阵测试核实"}
    response = getattr(login(getattr(world, PERSONA[role])), page.method)(url, data)
    assert response.status_code == expected
    if page_name == "saving_an_answer":
        obj.refresh_from_db()
        assert (obj.note == "由权限矩阵测试核实") == (expected == 302)
    if page_name == "calling_the_member_of_a_task":
        html = response.content.decode()
        assert (f'href="tel:{obj.member.phone}"' in html) == (expected == 200)
        assert obj.member.id_number not in html
        revealed = AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(obj.member_id))
        assert revealed.count() == (1 if expected == 200 else 0)
