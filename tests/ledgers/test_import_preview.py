"""The preview of an import lists every row it creates or changes (Excel row, name, masked ID number, each field's
old and new value in Chinese, masked where personal); a row that would rename the member its ID number belongs to
is imported only when the user ticks that very row; and every member created or changed gets its own audit entry,
written batch by batch in the import's transaction."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry, ImportRow, ImportStatus
from lanshan_party.personal_data import mask_id_number
from members.models import Member
from tests.conftest import login
from tests.factories import MemberFactory, make_id_number
from tests.ledgers.workbooks import MEMBER_HEADERS, confirm, latest_batch, member_row, upload, workbook

BIRTH = datetime.date(1985, 5, 6)


def at_home(n: int, *, name: str, branch: str, **extra) -> list:
    """A ledger row of a member at home (no outflow columns filled in)."""
    values = {
        "序号": n,
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "出生日期": BIRTH.isoformat(),
        "公民身份号码": make_id_number(n, BIRTH),
        "党员类别": "正式党员",
        "组织关系所在党支部": branch,
        "联系电话": f"1870728{n:04d}",
    }
    values.update(extra)
    return member_row(**values)


def registered(county, n: int, name: str) -> Member:
    return MemberFactory(
        name=name,
        gender="M",
        birth_date=BIRTH,
        id_number=make_id_number(n, BIRTH),
        phone=f"1870728{n:04d}",
        home_branch=county.huaguo,
    )


def test_the_preview_lists_created_and_changed_rows_with_old_and_new_values_masked_and_in_chinese(county):
    registered(county, 1, "周建国")
    rows = [
        at_home(1, name="周建国", branch=county.chengdong.name, 联系电话="13907281111"),
        at_home(2, name="新来的党员", branch=county.huaguo.name),
    ]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))
    batch = latest_batch()
    assert batch.status == ImportStatus.CHECKED and (batch.created_count, batch.updated_count) == (1, 1)

    html = client.get(reverse("ledgers:import_detail", args=[batch.pk])).content.decode()

    changed = ImportRow.objects.get(batch=batch, row=2)
    assert changed.action == "updated" and changed.id_number == mask_id_number(make_id_number(1, BIRTH))
    assert "组织关系所在党支部" in html or "所在党支部" in html
    assert f"{county.huaguo.name} → <strong>{county.chengdong.name}</strong>" in html
    assert "187****0001 → <strong>139****1111</strong>" in html  # phones masked, old and new
    assert "13907281111" not in html and make_id_number(1, BIRTH) not in html
    created = ImportRow.objects.get(batch=batch, row=3)
    assert created.action == "created" and "新来的党员" in html and mask_id_number(make_id_number(2, BIRTH)) in html


def test_the_preview_of_many_rows_is_paginated(county):
    rows = [at_home(n, name=f"分页党员{n}", branch=county.huaguo.name) for n in range(1, 106)]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))
    url = reverse("ledgers:import_detail", args=[latest_batch().pk])
    first = client.get(url).content.decode()
    assert "分页党员1<" in first and "分页党员105<" not in first
    assert "分页党员105<" in client.get(url, {"rows": 2}).content.decode()


def test_a_row_that_renames_the_member_its_id_number_belongs_to_is_not_imported_unless_ticked(county):
    member = registered(county, 1, "周建国")
    rows = [
        at_home(1, name="张冒名", branch=county.chengdong.name),  # a typo in the ID number, or someone else
        at_home(2, name="另一位新党员", branch=county.huaguo.name),
    ]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))
    batch = latest_batch()
    assert [(fault["row"], fault["column"]) for fault in batch.errors] == [(2, "姓名")]
    assert "周建国" in batch.errors[0]["message"] and "勾选" in batch.errors[0]["message"]
    html = client.get(reverse("ledgers:import_detail", args=[batch.pk])).content.decode()
    assert 'name="renames" value="2"' in html

    confirm(client, batch)  # not ticked: the rename is a fault, and all or nothing holds

    member.refresh_from_db()
    assert (member.name, member.home_branch) == ("周建国", county.huaguo)
    assert not Member.objects.filter(name="另一位新党员").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_an_unticked_rename_is_left_out_when_only_the_valid_rows_are_imported(county):
    member = registered(county, 1, "周建国")
    rows = [
        at_home(1, name="张冒名", branch=county.huaguo.name),
        at_home(2, name="新党员乙", branch=county.huaguo.name),
    ]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))
    confirm(client, latest_batch(), valid_only=True)
    member.refresh_from_db()
    assert member.name == "周建国" and Member.objects.filter(name="新党员乙").exists()


def test_a_ticked_rename_is_imported_and_audited_with_the_old_and_new_name(county):
    member = registered(county, 1, "周建国")
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, [at_home(1, name="周建华", branch=county.huaguo.name)]))
    batch = latest_batch()

    confirm(client, batch, renames=[2])

    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.errors
    member.refresh_from_db()
    assert member.name == "周建华"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="members.member", object_id=str(member.pk))
    assert entry.changes["name"] == ["周建国", "周建华"] and entry.actor == county.admin
    assert ImportRow.objects.get(batch=batch, row=2).confirmed


def test_every_member_an_import_creates_or_changes_gets_its_own_masked_audit_entry_in_one_insert(county):
    registered(county, 1, "周建国")
    rows = [at_home(1, name="周建国", branch=county.huaguo.name, 联系电话="13907281111")]
    rows += [at_home(n, name=f"审计党员{n}", branch=county.huaguo.name) for n in range(2, 41)]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))

    with CaptureQueriesContext(connection) as captured:
        confirm(client, latest_batch())

    entries = AuditEntry.objects.filter(object_type="members.member").exclude(action=AuditAction.WORKFLOW)
    created = entries.filter(action=AuditAction.CREATE)
    assert created.count() == 39
    assert created.first().changes["id_number"][1].count("*") == 8  # masked, as the form's entries are
    updated = entries.get(action=AuditAction.UPDATE)
    assert updated.changes == {"phone": ["187****0001", "139****1111"]}
    inserts = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "lanshan_party_auditentry"')
    ]
    assert len(inserts) == 2  # the 40 members' entries together, and the import's own
    assert "13907281111" not in str(list(entries.values_list("changes", flat=True)))
