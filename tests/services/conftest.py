"""The shared county (tests/conftest.py) plus services records on both sides of every persona's subtree.

Service cases and hometown projects belong to the organization that rendered or follows them:
花都 (Huadu, flowing), 花果村 (塔峰镇), 总市村 (总市镇) and 昆明 (Kunming, flowing). Recognitions and
representative posts belong to a member: 袁芳伟 (花果村, away in Huadu) and 马云 (总市村, away in Kunming).
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from services.models import CaseKind
from tests.factories import MemberFactory
from tests.services.factories import (
    HometownProjectFactory,
    RecognitionFactory,
    RepresentativePostFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
    WageRecoveryFactory,
)


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    c = county
    c.li = MemberFactory(name="李春华", home_branch=c.huaguo)
    c.item = ServiceItemFactory(name="测试跨省事项")
    c.case_huadu = WageRecoveryFactory(organization=c.huadu, member=c.yuan, amount=Decimal("20000"), people_helped=3)
    c.case_huaguo = ServiceCaseFactory(organization=c.huaguo, beneficiary_name="花果村老乡")
    c.case_zongshicun = ServiceCaseFactory(
        organization=c.zongshicun, member=c.ma, kind=CaseKind.HARDSHIP, amount=Decimal("2000")
    )
    c.case_kunming = ServiceCaseFactory(organization=c.kunming, member=c.ma, kind=CaseKind.EMPLOYMENT, people_helped=4)
    c.recognition_yuan = RecognitionFactory(member=c.yuan, award="优秀流动党员")
    c.recognition_ma = RecognitionFactory(member=c.ma, award="最美务工人员")
    c.post_yuan = RepresentativePostFactory(member=c.yuan)
    c.post_ma = RepresentativePostFactory(member=c.ma)
    c.project_huadu = HometownProjectFactory(organization=c.huadu, title="花都老乡回乡办箱包厂", members=[c.yuan])
    # Linked to 覃文英 of 城东社区: inside the 塔峰镇 subtree, outside 花果村's.
    c.project_huaguo = HometownProjectFactory(organization=c.huaguo, title="花果村脐橙合作社", members=[c.qin])
    c.project_zongshicun = HometownProjectFactory(organization=c.zongshicun, title="总市村黑山羊养殖", members=[c.ma])
    c.project_kunming = HometownProjectFactory(organization=c.kunming, title="昆明老乡回引项目", members=[c.ma])
    return c
