"""manage.py create_user: accounts made on the command line, with the password never on it."""

import io

import pytest
from django.core.management import CommandError, call_command

from lanshan_party.models import AuditAction, AuditEntry, Role, User
from tests.factories import OrganizationFactory

GOOD_PASSWORD = "tafeng-river-lantern-81"


@pytest.fixture
def password_in_environment(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LANSHAN_PASSWORD", GOOD_PASSWORD)
    return GOOD_PASSWORD


def create_user(*args: str) -> str:
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_a_county_user_is_created_with_the_password_from_the_environment(county, password_in_environment):
    output = create_user(
        "ops", "--role", "county", "--organization", "中共蓝山县委员会", "--email", "ops@lanshan.example"
    )
    user = User.objects.get(username="ops")
    assert user.role == Role.COUNTY
    assert user.organization == county.committee
    assert user.email == "ops@lanshan.example"
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_superuser and not user.may_reveal
    assert "Created county user ops" in output


def test_an_administrator_may_use_the_django_admin_and_may_reveal_when_asked(county, password_in_environment):
    create_user("chief", "--role", "admin", "--organization", "中共蓝山县委员会", "--may-reveal")
    user = User.objects.get(username="chief")
    assert user.is_staff and user.is_superuser and user.may_reveal


def test_the_organization_may_be_given_by_its_code(county, password_in_environment):
    OrganizationFactory(name="中共蓝山县塔峰镇五里坪村支部委员会", code="431127-TF-05", parent=county.tafeng)
    create_user("wuliping", "--role", "secretary", "--organization", "431127-TF-05")
    assert User.objects.get(username="wuliping").organization.code == "431127-TF-05"


def test_the_creation_is_written_to_the_audit_log_without_the_password_hash(county, password_in_environment):
    create_user("ops", "--role", "county", "--organization", "中共蓝山县委员会")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_repr="ops")
    assert entry.note == "manage.py create_user"
    assert entry.changes["password"][1].startswith("已设置·")
    assert User.objects.get(username="ops").password not in str(entry.changes)


def test_without_a_password_in_the_environment_and_no_terminal_nothing_is_created(county, monkeypatch):
    monkeypatch.delenv("LANSHAN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    with pytest.raises(CommandError, match="LANSHAN_PASSWORD"):
        create_user("ops", "--role", "county", "--organization", "中共蓝山县委员会")
    assert not User.objects.filter(username="ops").exists()


def test_at_a_terminal_the_password_is_asked_for_twice(county, monkeypatch):
    monkeypatch.delenv("LANSHAN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    create_user("ops", "--role", "county", "--organization", "中共蓝山县委员会")
    assert User.objects.get(username="ops").check_password(GOOD_PASSWORD)


def test_two_different_passwords_at_the_terminal_are_refused(county, monkeypatch):
    monkeypatch.delenv("LANSHAN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([GOOD_PASSWORD, "something-else-entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        create_user("ops", "--role", "county", "--organization", "中共蓝山县委员会")
    assert not User.objects.filter(username="ops").exists()


def test_a_weak_password_is_refused_by_the_password_rules(county, monkeypatch):
    monkeypatch.setenv("LANSHAN_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="password is refused"):
        create_user("ops", "--role", "county", "--organization", "中共蓝山县委员会")
    assert not User.objects.filter(username="ops").exists()


def test_a_role_that_does_not_fit_the_organization_is_refused(county, password_in_environment):
    with pytest.raises(CommandError, match="must belong to a township organization"):
        create_user("ops", "--role", "township", "--organization", "中共蓝山县委员会")
    assert not User.objects.filter(username="ops").exists()


def test_an_unknown_organization_is_named_in_the_error(county, password_in_environment):
    with pytest.raises(CommandError, match="No organization is named '中共蓝山县不存在委员会'"):
        create_user("ops", "--role", "county", "--organization", "中共蓝山县不存在委员会")


def test_a_dissolved_organization_is_refused(county, password_in_environment):
    OrganizationFactory(name="中共蓝山县塔峰镇旧村支部委员会", parent=county.tafeng, is_active=False)
    with pytest.raises(CommandError, match="dissolved"):
        create_user("old", "--role", "secretary", "--organization", "中共蓝山县塔峰镇旧村支部委员会")


def test_a_code_shared_by_two_organizations_asks_for_the_name(county, password_in_environment):
    OrganizationFactory(code="DUP-1", parent=county.tafeng)
    OrganizationFactory(code="DUP-1", parent=county.zongshi)
    with pytest.raises(CommandError, match="Several organizations"):
        create_user("ops", "--role", "secretary", "--organization", "DUP-1")


def test_an_existing_username_is_not_overwritten(county, password_in_environment):
    with pytest.raises(CommandError, match="exists already"):
        create_user("County", "--role", "county", "--organization", "中共蓝山县委员会")
    assert not User.objects.get(username="county").check_password(GOOD_PASSWORD)


def test_a_malformed_email_is_refused(county, password_in_environment):
    with pytest.raises(CommandError, match="not an e-mail address"):
        create_user("ops", "--role", "county", "--organization", "中共蓝山县委员会", "--email", "ops-at-lanshan")


def test_an_unknown_role_is_refused_before_anything_else(county, password_in_environment):
    with pytest.raises(CommandError, match="invalid choice"):
        create_user("ops", "--role", "mayor", "--organization", "中共蓝山县委员会")
