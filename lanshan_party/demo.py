"""Demo data machinery shared by every app's demo (names, phones and ID numbers), and the demo accounts.

`manage.py load_demo` runs the demos the apps register in their demo.py (see `registry.register_demo`).
"""

import datetime
import random
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from stdnum.cn import ric

from lanshan_party.models import Notification, Role, User
from lanshan_party.personal_data import normalize_phone
from lanshan_party.registry import DemoContext, register_demo

DEMO_PASSWORD = "lanshan-demo-2026"
COUNTY_CODE = "431127"

SURNAMES: tuple[tuple[str, float], ...] = (
    ("李", 8), ("黄", 6), ("雷", 6), ("王", 5), ("刘", 5), ("陈", 5), ("张", 4), ("周", 4), ("赵", 4), ("邓", 4),
    ("唐", 4), ("蒋", 3), ("杨", 3), ("彭", 3), ("胡", 3), ("何", 3), ("廖", 3), ("曾", 2), ("肖", 2), ("罗", 2),
    ("谢", 2), ("钟", 2), ("吴", 2), ("盘", 2), ("欧阳", 1.5), ("冯", 1.5), ("成", 1), ("许", 1), ("毛", 1),
    ("邝", 0.5), ("匡", 0.5), ("左", 0.5),
)  # fmt: skip
# The Yao surnames (瑶族十二姓) dominate in the five Yao townships.
YAO_SURNAMES: tuple[tuple[str, float], ...] = (
    ("盘", 10), ("赵", 8), ("邓", 8), ("李", 6), ("黄", 5), ("冯", 4), ("雷", 4), ("唐", 3), ("周", 3), ("胡", 2),
    ("沈", 1), ("包", 1), ("房", 1),
)  # fmt: skip
MALE_CHARS = "建国军华明强伟平志勇文斌辉林杰涛超峰俊海东亮鹏飞宇浩波春永光福德成新红生祥贵荣兵金云龙山旺松才顺清发锋磊鑫昌民利良学家中湘振晓卫忠江剑阳"
FEMALE_CHARS = "英华秀芳丽红玲梅娟艳萍敏静燕霞兰琴凤桂莉婷慧洁雪芬琳莲翠青春月珍佳倩颖晶妮蓉媛欣怡婧"

# Mobile prefixes that are real and stable; each is checked against libphonenumber once at start.
MOBILE_PREFIXES = (
    *range(130, 140), *range(150, 154), *range(155, 160), 173, *range(175, 179), *range(180, 190), 191, 193,
    *range(195, 200),
)  # fmt: skip

# (username, role, organization key, may_reveal, full name); keys are resolved once the tree is built.
DEMO_USERS: tuple[tuple[str, str, str, bool, str], ...] = (
    ("admin", Role.ADMIN, "county", True, "县委组织部管理员"),
    ("county", Role.COUNTY, "county", True, "县委组织部干部"),
    ("township", Role.TOWNSHIP, "塔峰镇", False, "塔峰镇党委组织委员"),
    ("secretary", Role.SECRETARY, "花都区", False, "花都区流动党员总支书记"),
    ("branch", Role.SECRETARY, "花果村", False, "花果村支部书记"),
)


class People:
    """Names, unique phones and unique citizen ID numbers, all drawn from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.mobile_prefixes = self._checked_mobile_prefixes()

    @staticmethod
    def _checked_mobile_prefixes() -> list[str]:
        # libphonenumber's ranges change between releases; keep only the 4-digit prefixes it accepts
        # so every generated number passes the app's own validation.
        checker = random.Random(0)
        good = []
        for prefix in (f"{p}{d}" for p in MOBILE_PREFIXES for d in range(10)):
            samples = [f"{prefix}{checker.randrange(10**7):07d}" for _ in range(3)]
            try:
                if all(normalize_phone(number) == number for number in samples):
                    good.append(prefix)
            except ValidationError:
                continue
        if not good:
            raise ImproperlyConfigured("No mobile prefix passes phone validation; is phonenumbers installed correctly?")
        return good

    def pick(self, weighted: tuple[tuple[Any, float], ...]) -> Any:
        return self.rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]

    def name(self, male: bool, yao: bool = False) -> str:
        surname = self.pick(YAO_SURNAMES if yao and self.rng.random() < 0.7 else SURNAMES)
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = self.rng.choice(chars)
        if self.rng.random() < 0.72:
            given += self.rng.choice(chars)
        return surname + given

    def phone(self) -> str:
        while True:
            number = f"{self.rng.choice(self.mobile_prefixes)}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def id_number(self, birth: datetime.date, male: bool) -> str:
        body_start = f"{COUNTY_CODE}{birth:%Y%m%d}"
        while True:
            seq = self.rng.randrange(1000)
            if seq % 2 != male:  # the 17th character is odd for men, even for women
                seq ^= 1
            body = f"{body_start}{seq:03d}"
            # calc_check_digit takes the full 18 characters and ignores the last, hence the placeholder.
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number


# ------------------------------------------------------------------------------------------- demo accounts


def clear_accounts(context: DemoContext) -> None:
    """Delete the reminders and the demo accounts, and unbind any other account from its organization."""
    Notification.objects.all().delete()
    demo = Q(username__in=[u[0] for u in DEMO_USERS], is_superuser=False)
    # The demo `admin` is a superuser; a real superuser someone created by hand is left alone.
    demo |= Q(username=DEMO_USERS[0][0], is_superuser=True, full_name=DEMO_USERS[0][4])
    User.objects.filter(demo).delete()
    kept = User.objects.exclude(organization=None).update(organization=None)
    if kept:
        context.stdout.write(
            context.style.WARNING(f"{kept} other account(s) kept but unbound from their organization.")
        )


@register_demo("accounts", after=("organizations",), clear=clear_accounts)
def load_accounts(context: DemoContext) -> dict[str, int]:
    """One account per role, bound to the organizations the tree demo left in `shared["organizations"]`."""
    orgs = context.shared["organizations"]
    created = []
    with transaction.atomic():
        for username, role, org_key, may_reveal, full_name in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                context.stdout.write(context.style.WARNING(f"Account {username!r} already exists; left unchanged."))
                continue
            admin = role == Role.ADMIN
            User.objects.create_user(
                username,
                password=DEMO_PASSWORD,
                role=role,
                organization=orgs[org_key],
                full_name=full_name,
                may_reveal=may_reveal,
                is_staff=admin,
                is_superuser=admin,
            )
            created.append(username)
    if created:
        context.stdout.write(f"Demo accounts, all with password {DEMO_PASSWORD}:")
        for user in User.objects.filter(username__in=created).select_related("organization"):
            reveal = "，可查看完整个人信息" if user.may_reveal else ""
            context.stdout.write(
                f"  {user.username:<10} {user.role:<10} {user.full_name}（{user.organization}）{reveal}"
            )
    return {"accounts": len(created)}
