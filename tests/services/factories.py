"""factory_boy factories for the services app's records."""

import datetime
from decimal import Decimal

import factory

from services.models import (
    CaseKind,
    HometownProject,
    Level,
    PostKind,
    ProjectKind,
    Recognition,
    RepresentativePost,
    ServiceCase,
    ServiceCategory,
    ServiceItem,
)
from tests.factories import MemberFactory, OrganizationFactory


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    name = factory.Sequence(lambda n: f"测试事项{n}")
    category = ServiceCategory.SOCIAL_SECURITY
    description = "线上办理。"


class ServiceCaseFactory(factory.django.DjangoModelFactory):
    """A mediation; for a fellow townsperson unless a member is given."""

    class Meta:
        model = ServiceCase

    kind = CaseKind.MEDIATION
    date = datetime.date(2025, 5, 20)
    organization = factory.SubFactory(OrganizationFactory)
    member = None
    beneficiary_name = factory.LazyAttributeSequence(lambda case, n: "" if case.member else f"老乡{n}")
    description = "协调老乡之间的房屋租赁纠纷。"
    people_helped = 1


class WageRecoveryFactory(ServiceCaseFactory):
    kind = CaseKind.WAGE_RECOVERY
    amount = Decimal("12000.00")
    description = "协调皮具厂结清拖欠工资。"


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    member = factory.SubFactory(MemberFactory)
    award = "优秀共产党员"
    level = Level.COUNTY
    year = 2024
    awarded_by = "中共蓝山县委组织部"


class RepresentativePostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepresentativePost

    member = factory.SubFactory(MemberFactory)
    post = PostKind.PEOPLES_CONGRESS
    level = Level.COUNTY
    term = "2021—2026"
    start_year = 2021


class HometownProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HometownProject
        skip_postgeneration_save = True

    kind = ProjectKind.PROJECT
    title = factory.Sequence(lambda n: f"回乡投资项目{n}")
    organization = factory.SubFactory(OrganizationFactory)
    investment = Decimal("300.00")
    jobs_created = 40
    people_enriched = 60
    township = "塔峰镇"
    village = "花果村"
    started_on = datetime.date(2025, 3, 1)

    @factory.post_generation
    def members(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.members.set(extracted)
