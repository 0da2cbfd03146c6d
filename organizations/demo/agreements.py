"""Demo dual-management agreements for the demo county (run after `manage.py load_demo` built the organizations)."""

import datetime
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from organizations.models import Agreement, AgreementScope, AgreementStatus, Organization

ALL_SCOPES = [scope.value for scope in AgreementScope]
SCOPE_TEXT = (
    "一、组织共建：流入地党组织指导蓝山县驻当地流动党组织规范开展组织生活，双方每年召开一次联席会议。\n"
    "二、党员共管：双方每季度互通一次流动党员名册，共同做好党员报到、活动证查验和组织关系转接。\n"
    "三、活动共抓：共同开展主题党日、流动学堂和志愿服务，流动党员参加流入地党组织活动计入组织生活。\n"
    "四、发展共赢：搭建就业、维权和返乡创业服务平台，引导流动党员在两地发展中发挥先锋模范作用。"
)


@dataclass(frozen=True)
class Spec:
    counterpart: str
    province: str
    city: str
    district: str  # empty: the agreement covers the whole city
    valid_from: datetime.date
    valid_to: datetime.date
    status: str
    scan: str = ""  # the title of a generated signed copy; empty: none
    note: str = ""


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _specs(rng: random.Random, today: datetime.date) -> list[Spec]:
    in_force = AgreementStatus.IN_FORCE
    huadu_to = today + _days(40)  # due for renewal: shows on the home page and in the expiring filter
    wenchang_from = today - _days(rng.randint(200, 400))
    baoan_from = today - _days(rng.randint(400, 700))
    longgang_from = today - _days(rng.randint(100, 300))
    kunming_old_from = datetime.date(today.year - 4, 1, 1)
    return [
        Spec(
            "中共广州市花都区委组织部", "广东省", "广州市", "花都区",
            _add_years(huadu_to, -3) + _days(1), huadu_to, in_force,
            scan="Lanshan County - Huadu District: dual-management agreement",
        ),
        Spec(
            "中共文昌市委组织部", "海南省", "文昌市", "",
            wenchang_from, _add_years(wenchang_from, 3) - _days(1), in_force,
            scan="Lanshan County - Wenchang City: dual-management agreement",
        ),
        Spec(
            "中共深圳市宝安区委组织部", "广东省", "深圳市", "宝安区",
            baoan_from, _add_years(baoan_from, 3) - _days(1), in_force,
        ),
        Spec(
            "中共深圳市龙岗区委组织部", "广东省", "深圳市", "龙岗区",
            longgang_from, _add_years(longgang_from, 3) - _days(1), in_force,
        ),
        Spec(
            "中共昆明市官渡区委组织部", "云南省", "昆明市", "官渡区",
            kunming_old_from, datetime.date(today.year - 1, 12, 31), AgreementStatus.EXPIRED,
            note="已于期满前续签，见新一期协议。",
        ),
        Spec(
            "中共昆明市官渡区委组织部", "云南省", "昆明市", "官渡区",
            datetime.date(today.year, 1, 1), datetime.date(today.year + 2, 12, 31), in_force,
            note="续签协议，在上一期基础上增加返乡创业服务内容。",
        ),
    ]  # fmt: skip


def scan_pdf(title: str) -> bytes:
    """A small valid one-page PDF standing in for a scanned agreement (ASCII title, built-in font)."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


@transaction.atomic
def load(rng: random.Random, *, today: datetime.date) -> int:
    """Create the demo agreements (Huadu, Wenchang, Shenzhen, Kunming), each covering the flowing
    organizations of its destination that exist. Only into a county without agreements: loading again
    (or over agreements someone entered) adds nothing."""
    if Agreement.objects.exists():
        return 0
    partners = {org.name: org for org in Organization.objects.partners()}
    created = 0
    for spec in _specs(rng, today):
        agreement = Agreement.objects.create(
            counterpart=spec.counterpart,
            partner=partners.get(spec.counterpart),
            province=spec.province,
            city=spec.city,
            district=spec.district,
            signed_on=spec.valid_from - _days(rng.randint(5, 25)),
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            scope=ALL_SCOPES,
            scope_text=SCOPE_TEXT,
            status=spec.status,
            note=spec.note,
        )
        covered = Organization.objects.flowing().filter(province=spec.province, city=spec.city)
        if spec.district:
            covered = covered.filter(district=spec.district)
        agreement.covered_organizations.set(covered)
        if spec.scan:
            pdf = scan_pdf(f"{spec.scan} ({spec.valid_from:%Y-%m-%d})")
            agreement.scan.save("agreement.pdf", ContentFile(pdf))
        created += 1
    return created
