"""factory_boy factories: the tests' only way to make data."""

import datetime

import factory
from stdnum.cn import ric

from activities.models import Activity, ActivityType
from lanshan_party.models import Role, User
from members.models import Member, Tag
from organizations.models import Organization, OrgKind, OrgLevel

PASSWORD = "correct-horse-battery"


def make_id_number(n: int, birth: datetime.date = datetime.date(1985, 6, 15), male: bool = True) -> str:
    """A valid Lanshan ID number, unique per n (n < 500), with the gender digit set as asked."""
    sequence = (n % 500) * 2 + (1 if male else 0)
    body = f"431127{birth:%Y%m%d}{sequence:03d}"
    return body + check_digit(body)


def check_digit(body: str) -> str:
    """The GB 11643 check digit for the first 17 characters (stdnum's calc_check_digit expects all 18)."""
    return ric.calc_check_digit(body[:17] + "?")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党组织{n}")
    kind = OrgKind.VILLAGE
    level = OrgLevel.BRANCH


class FlowingOrgFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"中共蓝山县驻测试地{n}流动党员支部委员会")
    kind = OrgKind.FLOWING
    province = "广东省"
    city = "广州市"
    district = "花都区"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.SECRETARY
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MemberFactory(factory.django.DjangoModelFactory):
    """Members get distinct birth dates so their ID numbers never collide across a test."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = "M"
    # Within 1960–1999 however many members the run has made (a test's own members still differ): a long run must
    # not make members born after the dates its tests give their departures and Party admission.
    birth_date = factory.Sequence(lambda n: datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 14600))
    id_number = factory.LazyAttribute(lambda m: make_id_number(0, m.birth_date, male=m.gender == "M"))
    phone = factory.Sequence(lambda n: f"187{n:08d}")
    home_branch = factory.SubFactory(OrganizationFactory)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = "困难党员"


def make_id_number_ending_in_x(birth: datetime.date = datetime.date(1960, 3, 21), male: bool = False) -> str:
    """A valid Lanshan ID number whose check digit is X (for testing a typed lower-case x)."""
    for n in range(500):
        sequence = n * 2 + (1 if male else 0)
        body = f"431127{birth:%Y%m%d}{sequence:03d}"
        if check_digit(body) == "X":
            return body + "X"
    raise AssertionError(f"no ID number ending in X for {birth}")


def with_wrong_check_digit(number: str) -> str:
    """The same ID number with a different (wrong) last character."""
    right = check_digit(number)
    wrong = next(c for c in "0123456789X" if c != right)
    return number[:17] + wrong


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organization = factory.SubFactory(OrganizationFactory)
    type = ActivityType.THEME_DAY
    date = datetime.date(2026, 3, 1)
    topic = factory.Sequence(lambda n: f"主题党日活动{n}")
    place = "村党员活动室"
    hours = 2


def attend(activity: Activity, *members_and_statuses: tuple[Member, str], by: User) -> Activity:
    """Record attendance through the workflow, so each member's last organizational life follows."""
    from activities.actions import save_activity

    return save_activity(activity, attendance={m.pk: status for m, status in members_and_statuses}, by=by)
