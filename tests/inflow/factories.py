"""Factories for inflow members (members of other counties, so their ID numbers are not Lanshan's)."""

import datetime

import factory

from inflow.models import InflowMember, InflowStatus
from tests.factories import check_digit


def other_county_id_number(n: int, birth: datetime.date, male: bool = True, area: str = "441882") -> str:
    """A valid ID number from 连州市 (Guangdong), unique per n (n < 500)."""
    sequence = (n % 500) * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + check_digit(body)


class InflowMemberFactory(factory.django.DjangoModelFactory):
    """Distinct birth dates, so ID numbers never collide within a test."""

    class Meta:
        model = InflowMember

    name = factory.Sequence(lambda n: f"流入党员{n}")
    gender = "M"
    birth_date = factory.Sequence(lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=n))
    id_number = factory.LazyAttribute(lambda m: other_county_id_number(0, m.birth_date, male=m.gender == "M"))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    occupation = "皮具加工工人"
    from_province = "广东省"
    joined_on = datetime.date(2000, 7, 1)
    home_org_name = "中共连州市保安镇卿罡村支部委员会"
    home_place = "广东省连州市"
    home_contact = "卿书记"
    contact_phone = "13800138000"
    arrived_on = datetime.date(2024, 5, 1)
    reason = "work"
    has_certificate = True
    certificate_number = factory.Sequence(lambda n: f"LRZ2024{n:04d}")
    status = InflowStatus.REPORTED
    reported_on = datetime.date(2024, 5, 10)
