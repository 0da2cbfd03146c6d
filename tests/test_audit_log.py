"""The audit log reads in Chinese (field names and choice labels), and on PostgreSQL the database itself keeps it
append-only, without getting in the way of deleting accounts or rebuilding the demo county."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from lanshan_party import audit
from lanshan_party.models import AuditAction, AuditEntry, User
from members.models import Member
from tests.conftest import login
from tests.factories import MemberFactory, UserFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def changes_cell(county, entry: AuditEntry) -> str:
    response = login(county.admin).get(reverse("accounts:audit_log"), {"q": entry.object_repr})
    rows = [row for row in response.context["table"].paginated_rows if row.record.pk == entry.pk]
    assert rows, "the entry is not on the audit log page"
    return str(rows[0].get_cell("changes"))


def test_a_new_member_in_the_audit_log_shows_chinese_field_names_and_choice_labels(county):
    member = MemberFactory(name="雷春花", gender="F", birth_date=datetime.date(1990, 5, 4), home_branch=county.huaguo)
    entry = audit.record_create(member, actor=county.admin)

    cell = changes_cell(county, entry)

    assert "<b>性别</b>：— → 女" in cell
    assert "<b>出生日期</b>：— → 1990-05-04" in cell
    assert "<b>党籍状态</b>：— → 正常" in cell
    for raw in ("birth_date", "gender", "standing", '"F"', '"normal"', "null"):
        assert raw not in cell


def test_a_change_in_the_audit_log_shows_old_and_new_labels(county):
    member = county.qin
    before = audit.snapshot(Member.objects.get(pk=member.pk))
    member.standing = "deceased"
    member.save()
    entry = audit.record_update(member, before, actor=county.admin)

    assert entry.changes["standing"] == ["normal", "deceased"]  # the entry keeps the raw values …
    assert "正常 → 已故" in changes_cell(county, entry)  # … the page shows their labels


def test_an_entry_written_before_labels_were_shown_reads_in_chinese_too(county):
    entry = AuditEntry.objects.create(
        action=AuditAction.UPDATE,
        actor_name="admin",
        object_type="members.member",
        object_id=str(county.yuan.pk),
        object_repr="袁芳伟",
        changes={"gender": [None, "M"], "birth_date": ["1960-01-01", "1960-01-02"]},
    )

    cell = changes_cell(county, entry)

    assert "<b>性别</b>：— → 男" in cell and "<b>出生日期</b>：1960-01-01 → 1960-01-02" in cell


def test_yes_no_values_and_keys_that_are_not_fields_are_readable(county):
    entry = AuditEntry.objects.create(
        action=AuditAction.EXPORT,
        actor_name="admin",
        object_type="lanshan_party.exportjob",
        object_repr="党员台账",
        changes={"rows": [None, 12], "masked": [None, True], "no_such_field": ["a", "b"]},
    )

    cell = changes_cell(county, entry)

    assert "<b>行数</b>：— → 12" in cell
    assert "<b>个人信息已脱敏</b>：— → 是" in cell
    assert "<b>no_such_field</b>：a → b" in cell  # a field since removed still shows its name


def test_a_list_of_choices_kept_in_one_column_shows_its_labels(county):
    entry = AuditEntry.objects.create(
        action=AuditAction.CREATE,
        actor_name="admin",
        object_type="organizations.station",
        object_repr="花都流动党员驿站",
        changes={"funding": [None, "donations, community"]},
    )

    cell = changes_cell(county, entry)

    assert "<b>经费来源</b>：— → " in cell and "donations" not in cell and "community" not in cell and "、" in cell


def test_the_account_changes_of_the_audit_log_read_in_chinese(county):
    user = UserFactory(username="leixiaojun", role="township", organization=county.zongshi)
    before = audit.snapshot(User.objects.get(pk=user.pk))
    user.role, user.organization = "secretary", county.zongshicun
    user.save()

    cell = changes_cell(county, audit.record_update(user, before, actor=county.admin))

    assert "<b>角色</b>：乡镇党委工作人员 → 支部书记" in cell
    assert "<b>党组织</b>：中共蓝山县总市镇委员会 → 中共蓝山县总市镇总市村支部委员会" in cell


# ---------------------------------------------------------------- append-only in the database


@on_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE lanshan_party_auditentry SET note = 'rewritten'", id="an_update"),
        pytest.param("DELETE FROM lanshan_party_auditentry", id="a_delete"),
    ],
)
def test_postgresql_refuses_to_change_or_remove_audit_entries_even_in_raw_sql(county, statement):
    count = AuditEntry.objects.count()
    assert count > 0

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(note="rewritten").exists()


@on_postgresql
def test_postgresql_still_takes_new_audit_entries(county):
    count = AuditEntry.objects.count()
    audit.record(AuditAction.LOGIN, actor=county.branch, obj=county.branch)
    assert AuditEntry.objects.count() == count + 1


def test_deleting_an_account_keeps_its_audit_entries_and_their_actor_name(county):
    """A foreign key that set the actor to NULL would be an UPDATE of the audit table, refused on PostgreSQL."""
    leaver = UserFactory(username="leaver", organization=county.huaguo)
    entry = audit.record(AuditAction.LOGIN, actor=leaver, obj=leaver)

    with transaction.atomic():
        leaver.delete()

    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor_name == "leaver" and kept.object_repr == "leaver"
    assert not User.objects.filter(username="leaver").exists()


def test_deleting_an_account_in_the_django_admin_keeps_its_audit_entries(county):
    leaver = UserFactory(username="leaver", organization=county.huaguo)
    audit.record(AuditAction.LOGIN, actor=leaver, obj=leaver)
    before = AuditEntry.objects.count()
    county.admin.is_staff = county.admin.is_superuser = True
    county.admin.save()

    response = login(county.admin).post(reverse("admin:lanshan_party_user_delete", args=[leaver.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(username="leaver").exists()
    assert AuditEntry.objects.count() > before  # nothing removed, and the deletion itself is audited
    assert AuditEntry.objects.filter(actor_name="leaver").exists()


def test_rebuilding_the_demo_county_keeps_the_audit_log_and_entries_of_deleted_demo_accounts(db):
    call_command("load_demo", allow_production=True, members=30, verbosity=0)
    county_staff = User.objects.get(username="county")
    audit.record(AuditAction.LOGIN, actor=county_staff, obj=county_staff)
    before = AuditEntry.objects.count()

    call_command("load_demo", allow_production=True, members=30, reset=True, verbosity=0)

    assert AuditEntry.objects.count() >= before
    assert AuditEntry.objects.filter(actor_name="county", action=AuditAction.LOGIN).exists()
    assert User.objects.get(username="county").pk != county_staff.pk
