"""Load a realistic demo Lanshan County (organizations, members, outflows, accounts) for trying the platform out."""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import reset_queries, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from stdnum.cn import ric

from activities import demo as activities_demo
from activities.models import Activity, ActivityPhoto, Attendance, RedPackage
from lanshan_party.models import Notification, Role, User
from lanshan_party.personal_data import blind_index, normalize_phone
from members import demo as members_demo
from members.models import (
    OPEN_STATUSES,
    Category,
    CensusCampaign,
    CensusTask,
    Education,
    FlowReason,
    FlowScope,
    Gender,
    LostCause,
    Member,
    Outflow,
    OutflowEvent,
    OutflowEventKind,
    OutflowStatus,
    Standing,
    Tag,
)
from organizations import demo as organizations_demo
from organizations.models import Agreement, Basis, Funding, Organization, OrgKind, OrgLevel, Station
from services import demo as services_demo
from services.models import HometownProject, Recognition, RepresentativePost, ServiceCase

DEMO_PASSWORD = "lanshan-demo-2026"
COUNTY_CODE = "431127"
APPROVER = "中共蓝山县委组织部"
HOME_REGION = ("湖南省", "永州市", "蓝山县")
EARLIEST_DEPARTURE = datetime.date(2010, 1, 1)

S = OutflowStatus
E = OutflowEventKind

# ---------------------------------------------------------------- the county's own tree

# (township, is a Yao ethnic township, branches). The first branch of 塔峰镇 must stay 花果村: the `branch`
# demo account is bound to it. Only the first 2–5 branches of each list are used, chosen by the seed.
TOWNSHIPS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("塔峰镇", False, ("花果村", "城东社区", "城西社区", "钟水社区", "五里坪村")),
    ("总市镇", False, ("总市村", "大桥村", "枫木村", "上洞村", "田心村")),
    ("所城镇", False, ("所城村", "舜源村", "高山村", "塘背村", "新田村")),
    ("新圩镇", False, ("新圩村", "下洞村", "龙泉村", "石山村", "大洞村")),
    ("土市镇", False, ("土市村", "凌江村", "坪石村", "岭头村", "竹管寺村")),
    ("楠市镇", False, ("楠市村", "大元村", "凤岭村", "水口村", "黄家村")),
    ("祠堂圩镇", False, ("祠堂圩社区", "虎溪村", "高溪村", "塘坪村", "门楼村")),
    ("毛俊镇", False, ("毛俊村", "大麻村", "江头村", "下塘村", "青山村")),
    ("湘江源瑶族乡", True, ("湘源村", "野狗岭村", "桐木漯村", "云冰村", "竹林村")),
    ("浆洞瑶族乡", True, ("浆洞村", "毛漯村", "竹林坪村", "杉木村", "大源村")),
    ("汇源瑶族乡", True, ("汇源村", "湘江村", "石门村", "白竹坪村", "茶林村")),
    ("犁头瑶族乡", True, ("犁头村", "黄家坪村", "大坪村", "江边村", "高峰村")),
    ("荆竹瑶族乡", True, ("荆竹村", "三洞村", "鲁头村", "白竹村", "平田村")),
)


@dataclass(frozen=True)
class StationSpec:
    name: str
    address: str
    opened_on: datetime.date
    funding: tuple[str, ...]
    duties: str


@dataclass(frozen=True)
class FlowingSpec:
    place: str  # in the full name: 中共蓝山县驻{place}流动党员总支部委员会
    short_place: str  # in the short name: 驻{short_place}总支
    level: str
    basis: str
    founded: datetime.date
    address: str
    stations: tuple[StationSpec, ...] = ()


@dataclass(frozen=True)
class Destination:
    province: str
    city: str
    district: str
    weight: float
    industries: tuple[tuple[str, float], ...]
    areas: tuple[str, ...]
    partners: tuple[str, ...] = ()
    flowing: FlowingSpec | None = None

    @property
    def scope(self) -> str:
        return FlowScope.IN_PROVINCE if self.province == HOME_REGION[0] else FlowScope.CROSS_PROVINCE


DUTIES = (
    "为在当地务工经商的蓝山籍党员提供政策咨询、就业信息、法律援助和临时落脚服务；"
    "每月开展一次主题党日活动，组织党员学习、交纳党费；驿站由专人值守，来访登记，服务台账按月报驻地流动党组织。"
)
DUTIES_SHORT = "联系服务流动党员，转递组织生活通知，收集流动党员诉求并及时反馈；协助做好流动党员活动证年度查验。"


def _flowing(
    place: str,
    short_place: str,
    level: str,
    basis: str,
    founded: tuple[int, int, int],
    address: str,
    *stations: StationSpec,
) -> FlowingSpec:
    return FlowingSpec(place, short_place, level, basis, datetime.date(*founded), address, stations)


def _station(
    name: str, address: str, opened: tuple[int, int, int], funding: tuple[str, ...], duties: str
) -> StationSpec:
    return StationSpec(name, address, datetime.date(*opened), funding, duties)


GB, BR = OrgLevel.GENERAL_BRANCH, OrgLevel.BRANCH
D, ENT, COM = Funding.DONATIONS, Funding.ENTREPRENEURS, Funding.COMMUNITY

# Weights are the share of outflows going to each destination; together the 22 flowing organizations
# take about nine in ten, the rest go where the county has no organization of its own.
DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "广东省",
        "广州市",
        "花都区",
        20,
        (("皮具箱包", 70), ("物流", 8), ("批发零售", 8), ("餐饮", 6), ("建筑施工", 4), ("五金模具", 4)),
        ("狮岭镇", "新华街道", "花城街道"),
        ("中共广州市花都区狮岭镇委员会", "中共广州市花都区新华街道工作委员会"),
        _flowing(
            "花都区",
            "花都区",
            GB,
            Basis.ASSOCIATION,
            (2012, 5, 18),
            "广州市花都区狮岭镇皮具城商会楼三楼",
            _station(
                "蓝山县驻花都区流动党员驿站（狮岭）",
                "广州市花都区狮岭镇皮具城商会楼一楼",
                (2016, 7, 1),
                (D, ENT),
                DUTIES,
            ),
            _station(
                "蓝山县驻花都区流动党员驿站（新华）",
                "广州市花都区新华街道建设北路118号",
                (2019, 3, 12),
                (D, COM),
                DUTIES_SHORT,
            ),
        ),
    ),
    Destination(
        "广东省",
        "广州市",
        "白云区",
        6,
        (("皮具箱包", 25), ("批发零售", 25), ("物流", 20), ("餐饮", 15), ("建筑施工", 15)),
        ("石井街道", "三元里街道", "太和镇"),
        ("中共广州市白云区石井街道工作委员会", "中共广州市白云区三元里街道工作委员会"),
        _flowing("白云区", "白云区", BR, Basis.CHAMBER, (2014, 9, 10), "广州市白云区三元里大道蓝山商会二楼"),
    ),
    Destination(
        "广东省",
        "深圳市",
        "宝安区",
        8,
        (("电子制造", 45), ("五金模具", 20), ("物流", 15), ("建筑施工", 10), ("餐饮", 10)),
        ("福永街道", "沙井街道", "西乡街道"),
        ("中共深圳市宝安区福永街道工作委员会", "中共深圳市宝安区沙井街道工作委员会"),
        _flowing(
            "宝安区",
            "宝安区",
            GB,
            Basis.PARK,
            (2013, 6, 28),
            "深圳市宝安区福永街道工业园区服务中心",
            _station(
                "蓝山县驻宝安区流动党员驿站",
                "深圳市宝安区福永街道凤凰社区兴业路56号",
                (2018, 6, 30),
                (ENT, COM),
                DUTIES,
            ),
        ),
    ),
    Destination(
        "广东省",
        "深圳市",
        "龙岗区",
        6,
        (("电子制造", 40), ("五金模具", 15), ("建筑施工", 20), ("物流", 15), ("餐饮", 10)),
        ("横岗街道", "布吉街道"),
        ("中共深圳市龙岗区横岗街道工作委员会", "中共深圳市龙岗区布吉街道工作委员会"),
        _flowing("龙岗区", "龙岗区", BR, Basis.CHAMBER, (2015, 4, 16), "深圳市龙岗区横岗街道蓝山同乡会办公室"),
    ),
    Destination(
        "广东省",
        "东莞市",
        "长安镇",
        9,
        (("五金模具", 45), ("电子制造", 40), ("物流", 8), ("餐饮", 7)),
        ("长安镇",),
        ("中共东莞市长安镇委员会",),
        _flowing(
            "东莞市长安镇",
            "长安镇",
            GB,
            Basis.PARK,
            (2013, 11, 8),
            "东莞市长安镇霄边社区工业区管理处",
            _station("蓝山县驻长安镇流动党员驿站", "东莞市长安镇霄边社区创业路23号", (2017, 12, 1), (D, ENT), DUTIES),
        ),
    ),
    Destination(
        "广东省",
        "佛山市",
        "南海区",
        4,
        (("五金模具", 35), ("家具制造", 25), ("物流", 15), ("批发零售", 15), ("餐饮", 10)),
        ("大沥镇", "桂城街道"),
        ("中共佛山市南海区大沥镇委员会", "中共佛山市南海区桂城街道工作委员会"),
        _flowing("南海区", "南海区", BR, Basis.CHAMBER, (2016, 3, 22), "佛山市南海区大沥镇湖南商会大楼"),
    ),
    Destination(
        "广东省",
        "中山市",
        "小榄镇",
        3,
        (("五金模具", 40), ("灯饰照明", 30), ("电子制造", 20), ("餐饮", 10)),
        ("小榄镇",),
        ("中共中山市小榄镇委员会",),
        _flowing("中山市", "中山市", BR, Basis.ASSOCIATION, (2017, 8, 9), "中山市小榄镇五金行业协会二楼"),
    ),
    Destination(
        "海南省",
        "文昌市",
        "文城镇",
        3,
        (("农业种植", 40), ("建筑施工", 30), ("餐饮", 15), ("批发零售", 15)),
        ("文城镇", "东郊镇"),
        ("中共文昌市文城镇委员会",),
        _flowing(
            "文昌市",
            "文昌市",
            BR,
            Basis.OFFICE,
            (2017, 10, 20),
            "文昌市文城镇文建东路蓝山县驻文昌联络处",
            _station("蓝山县驻文昌市流动党员驿站", "文昌市文城镇文建东路66号", (2019, 5, 20), (D,), DUTIES_SHORT),
        ),
    ),
    Destination(
        "海南省",
        "海口市",
        "龙华区",
        2,
        (("建筑施工", 40), ("餐饮", 25), ("批发零售", 20), ("物流", 15)),
        ("金宇街道", "城西镇"),
        ("中共海口市龙华区金宇街道工作委员会",),
        _flowing("海口市", "海口市", BR, Basis.CHAMBER, (2018, 4, 12), "海口市龙华区金宇街道湖南商会办公室"),
    ),
    Destination(
        "云南省",
        "昆明市",
        "官渡区",
        2,
        (("批发零售", 35), ("建筑施工", 30), ("餐饮", 20), ("物流", 15)),
        ("关上街道", "金马街道"),
        ("中共昆明市官渡区关上街道工作委员会",),
        _flowing(
            "官渡区",
            "官渡区",
            BR,
            Basis.OFFICE,
            (2018, 9, 26),
            "昆明市官渡区关上街道蓝山县驻昆明联络处",
            _station(
                "蓝山县驻官渡区流动党员驿站", "昆明市官渡区关上街道春城路208号", (2020, 7, 1), (D, COM), DUTIES_SHORT
            ),
        ),
    ),
    Destination(
        "湖南省",
        "长沙市",
        "雨花区",
        5,
        (("建筑施工", 35), ("餐饮", 20), ("批发零售", 20), ("物流", 15), ("电子制造", 10)),
        ("高桥街道", "洞井街道"),
        ("中共长沙市雨花区高桥街道工作委员会", "中共长沙市雨花区洞井街道工作委员会"),
        _flowing("长沙市", "长沙市", BR, Basis.CHAMBER, (2014, 12, 5), "长沙市雨花区高桥大市场蓝山商会"),
    ),
    Destination(
        "湖南省",
        "永州市",
        "冷水滩区",
        4,
        (("建筑施工", 35), ("批发零售", 25), ("餐饮", 20), ("物流", 10), ("农业种植", 10)),
        ("梅湾街道", "凤凰街道"),
        ("中共永州市冷水滩区梅湾街道工作委员会",),
        _flowing("冷水滩区", "冷水滩区", BR, Basis.OTHER, (2019, 6, 18), "永州市冷水滩区梅湾街道蓝山同乡服务站"),
    ),
    Destination(
        "浙江省",
        "杭州市",
        "萧山区",
        2,
        (("纺织服装", 35), ("电子制造", 20), ("物流", 20), ("餐饮", 15), ("批发零售", 10)),
        ("北干街道", "城厢街道"),
        ("中共杭州市萧山区北干街道工作委员会",),
        _flowing("杭州市", "杭州市", BR, Basis.CHAMBER, (2019, 11, 11), "杭州市萧山区北干街道湖南商会"),
    ),
    Destination(
        "浙江省",
        "金华市",
        "义乌市",
        2.5,
        (("小商品", 55), ("批发零售", 20), ("物流", 20), ("餐饮", 5)),
        ("稠城街道", "福田街道"),
        ("中共义乌市稠城街道工作委员会", "中共义乌市福田街道工作委员会"),
        _flowing(
            "义乌市",
            "义乌市",
            BR,
            Basis.CHAMBER,
            (2016, 10, 28),
            "义乌市福田街道国际商贸城蓝山商会",
            _station("蓝山县驻义乌市流动党员驿站", "义乌市福田街道福田路105号", (2021, 6, 28), (ENT,), DUTIES_SHORT),
        ),
    ),
    Destination(
        "福建省",
        "厦门市",
        "湖里区",
        1.5,
        (("电子制造", 35), ("物流", 25), ("建筑施工", 20), ("餐饮", 20)),
        ("殿前街道", "江头街道"),
        ("中共厦门市湖里区殿前街道工作委员会",),
        _flowing("厦门市", "厦门市", BR, Basis.OTHER, (2020, 8, 6), "厦门市湖里区殿前街道蓝山同乡会"),
    ),
    Destination(
        "广东省",
        "惠州市",
        "惠阳区",
        2,
        (("电子制造", 40), ("五金模具", 25), ("建筑施工", 20), ("物流", 15)),
        ("淡水街道", "秋长街道"),
        ("中共惠州市惠阳区淡水街道工作委员会",),
        _flowing("惠州市", "惠州市", BR, Basis.PARK, (2018, 3, 15), "惠州市惠阳区淡水街道工业园区党群服务中心"),
    ),
    Destination(
        "广东省",
        "江门市",
        "蓬江区",
        1.5,
        (("五金模具", 40), ("机械制造", 25), ("电子制造", 20), ("餐饮", 15)),
        ("棠下镇", "杜阮镇"),
        ("中共江门市蓬江区棠下镇委员会",),
        _flowing("江门市", "江门市", BR, Basis.PARK, (2020, 5, 21), "江门市蓬江区棠下镇工业园区"),
    ),
    Destination(
        "广东省",
        "珠海市",
        "香洲区",
        1.5,
        (("电子制造", 35), ("建筑施工", 25), ("餐饮", 20), ("物流", 20)),
        ("前山街道", "南屏镇"),
        ("中共珠海市香洲区前山街道工作委员会",),
        _flowing("珠海市", "珠海市", BR, Basis.OTHER, (2021, 4, 8), "珠海市香洲区前山街道湖南同乡会"),
    ),
    Destination(
        "浙江省",
        "温州市",
        "鹿城区",
        1,
        (("鞋服制造", 40), ("批发零售", 25), ("五金模具", 20), ("餐饮", 15)),
        ("五马街道", "双屿街道"),
        ("中共温州市鹿城区双屿街道工作委员会",),
        _flowing("温州市", "温州市", BR, Basis.CHAMBER, (2021, 9, 17), "温州市鹿城区双屿街道湖南商会"),
    ),
    Destination(
        "上海市",
        "上海市",
        "闵行区",
        1.5,
        (("物流", 30), ("建筑施工", 25), ("餐饮", 20), ("电子制造", 15), ("批发零售", 10)),
        ("莘庄镇", "七宝镇"),
        ("中共上海市闵行区莘庄镇委员会",),
        _flowing("上海市", "上海市", BR, Basis.OFFICE, (2019, 7, 1), "上海市闵行区莘庄镇湖南企业联合会"),
    ),
    Destination(
        "北京市",
        "北京市",
        "朝阳区",
        1,
        (("建筑施工", 35), ("物流", 25), ("餐饮", 25), ("批发零售", 15)),
        ("十八里店地区", "小红门地区"),
        ("中共北京市朝阳区十八里店地区工作委员会",),
        _flowing("北京市", "北京市", BR, Basis.OFFICE, (2020, 10, 15), "北京市朝阳区十八里店地区永州企业商会"),
    ),
    Destination(
        "广西壮族自治区",
        "南宁市",
        "西乡塘区",
        1,
        (("批发零售", 35), ("建筑施工", 30), ("餐饮", 20), ("农业种植", 15)),
        ("安吉街道", "北湖街道"),
        ("中共南宁市西乡塘区安吉街道工作委员会",),
        _flowing("南宁市", "南宁市", BR, Basis.CHAMBER, (2021, 11, 26), "南宁市西乡塘区安吉街道湖南商会"),
    ),
    # No flowing organization of ours at these; the first four still match one in the same city.
    Destination(
        "广东省", "广州市", "番禺区", 2, (("批发零售", 40), ("电子制造", 30), ("餐饮", 30)), ("大石街道", "市桥街道")
    ),
    Destination(
        "广东省", "深圳市", "南山区", 1.5, (("信息技术", 40), ("电子制造", 35), ("餐饮", 25)), ("粤海街道", "西丽街道")
    ),
    Destination("湖南省", "永州市", "零陵区", 1.5, (("建筑施工", 40), ("批发零售", 35), ("餐饮", 25)), ("南津渡街道",)),
    Destination("湖南省", "长沙市", "岳麓区", 1, (("建筑施工", 40), ("信息技术", 30), ("餐饮", 30)), ("望城坡街道",)),
    Destination("湖南省", "郴州市", "北湖区", 1.5, (("建筑施工", 40), ("批发零售", 35), ("餐饮", 25)), ("人民路街道",)),
    Destination("广东省", "清远市", "清城区", 1, (("皮具箱包", 40), ("建筑施工", 35), ("餐饮", 25)), ("凤城街道",)),
    Destination("江苏省", "苏州市", "昆山市", 1, (("电子制造", 70), ("物流", 30)), ("周市镇", "陆家镇")),
    Destination("福建省", "泉州市", "晋江市", 0.8, (("鞋服制造", 70), ("批发零售", 30)), ("陈埭镇",)),
    Destination("四川省", "成都市", "武侯区", 0.5, (("餐饮", 50), ("批发零售", 50)), ("簇桥街道",)),
    Destination("广西壮族自治区", "桂林市", "七星区", 0.5, (("餐饮", 50), ("农业种植", 50)), ("七星区",)),
)

PARTNER_ORGS: tuple[tuple[str, str, str, str], ...] = (
    ("中共广州市花都区委组织部", "广东省", "广州市", "花都区"),
    ("中共文昌市委组织部", "海南省", "文昌市", ""),
    ("中共深圳市宝安区委组织部", "广东省", "深圳市", "宝安区"),
    ("中共昆明市官渡区委组织部", "云南省", "昆明市", "官渡区"),
)

# ---------------------------------------------------------------- people

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

EDUCATION_BY_BIRTH: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (1965, ((Education.PRIMARY, 35), (Education.JUNIOR, 45), (Education.SENIOR, 15), (Education.VOCATIONAL, 5))),
    (1980, ((Education.PRIMARY, 10), (Education.JUNIOR, 45), (Education.SENIOR, 25), (Education.VOCATIONAL, 12),
            (Education.COLLEGE, 6), (Education.BACHELOR, 2))),
    (1990, ((Education.JUNIOR, 30), (Education.SENIOR, 28), (Education.VOCATIONAL, 20), (Education.COLLEGE, 14),
            (Education.BACHELOR, 8))),
    (9999, ((Education.JUNIOR, 10), (Education.SENIOR, 20), (Education.VOCATIONAL, 25), (Education.COLLEGE, 25),
            (Education.BACHELOR, 18), (Education.POSTGRADUATE, 2))),
)  # fmt: skip
BIRTH_DECADES: tuple[tuple[int, int, float], ...] = (
    (1950, 1959, 1),
    (1960, 1969, 3),
    (1970, 1979, 4),
    (1980, 1989, 4),
    (1990, 1999, 3),
    (2000, 2003, 1.5),
)
REASONS: tuple[tuple[str, float], ...] = (
    (FlowReason.WORK, 74), (FlowReason.BUSINESS, 16), (FlowReason.FAMILY, 6), (FlowReason.STUDY, 2),
    (FlowReason.OTHER, 2),
)  # fmt: skip
LOST_CAUSES: tuple[tuple[str, float], ...] = (
    (LostCause.WORK_BUSINESS, 40), (LostCause.EMPLOYER_CHANGED, 20), (LostCause.MOVED, 15),
    (LostCause.RESTRUCTURING, 8), (LostCause.GRADUATE, 5), (LostCause.ABROAD, 4), (LostCause.OTHER, 8),
)  # fmt: skip
TAG_NAMES = ("困难党员", "村后备力量", "两代表一委员", "致富能手", "老党员")

FIRM_WORDS = "鑫恒盛华达宏兴隆丰源泰嘉佳宝利荣金永昌顺瑞祥鸿富德联创新卓越"
FIRM_SUFFIXES: dict[str, tuple[str, ...]] = {
    "皮具箱包": ("皮具有限公司", "箱包有限公司", "皮具厂", "皮具制品有限公司"),
    "电子制造": ("电子科技有限公司", "电子有限公司", "精密电子有限公司"),
    "五金模具": ("五金制品有限公司", "模具有限公司", "精密五金厂"),
    "建筑施工": ("建筑工程有限公司", "建设工程有限公司", "劳务有限公司"),
    "物流": ("物流有限公司", "供应链管理有限公司", "货运有限公司"),
    "批发零售": ("商贸有限公司", "商行", "贸易有限公司"),
    "餐饮": ("餐饮管理有限公司", "湘菜馆", "酒店"),
    "小商品": ("饰品有限公司", "日用品商行", "工艺品有限公司"),
    "家具制造": ("家具有限公司", "家具厂"),
    "灯饰照明": ("照明电器有限公司", "灯饰厂"),
    "农业种植": ("农业开发有限公司", "种植专业合作社"),
    "纺织服装": ("服饰有限公司", "纺织有限公司"),
    "鞋服制造": ("鞋业有限公司", "服饰有限公司"),
    "机械制造": ("机械有限公司", "机电设备有限公司"),
    "信息技术": ("信息技术有限公司", "网络科技有限公司"),
}
ROADS = tuple("建设路 人民路 工业大道 新华路 东风路 解放路 商贸大道 创业路 兴业路 振兴路 环城路 迎宾大道".split())
SCHOOLS = {
    "广州市": "广州大学", "深圳市": "深圳大学", "长沙市": "湖南师范大学", "杭州市": "浙江工业大学", "厦门市": "厦门大学",
    "上海市": "上海大学", "北京市": "北京工业大学", "昆明市": "云南大学", "海口市": "海南大学", "南宁市": "广西大学",
}  # fmt: skip
CLOSE_NOTES = ("登记有误，予以注销", "重复登记，予以注销", "经核实未实际外出，予以注销")

# (username, role, organization key, may_reveal, full name); keys are resolved once the tree is built.
DEMO_USERS: tuple[tuple[str, str, str, bool, str], ...] = (
    ("admin", Role.ADMIN, "county", True, "县委组织部管理员"),
    ("county", Role.COUNTY, "county", True, "县委组织部干部"),
    ("township", Role.TOWNSHIP, "塔峰镇", False, "塔峰镇党委组织委员"),
    ("secretary", Role.SECRETARY, "花都区", False, "花都区流动党员总支书记"),
    ("branch", Role.SECRETARY, "花果村", False, "花果村支部书记"),
)

# (kind, from status, to status, date, note, lost cause)
Event = tuple[str, str, str, datetime.date, str, str]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@dataclass
class Branch:
    org_id: int
    short_name: str
    township: str
    yao: bool
    weight: float


@dataclass
class Stats:
    members: int = 0
    outflows: Counter[str] = field(default_factory=Counter)
    events: int = 0
    tags: int = 0


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
            raise CommandError("No mobile prefix passes phone validation; is phonenumbers installed correctly?")
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


class DemoBuilder:
    """Generates members and their outflows, batch by batch, and saves them with bulk inserts."""

    def __init__(
        self,
        people: People,
        branches: list[Branch],
        destination_orgs: list[int | None],
        tags: dict[str, int],
        recorder_id: int | None,
    ) -> None:
        self.people = people
        self.rng = people.rng
        self.pick = people.pick
        self.branches = branches
        self.branch_weights = [b.weight for b in branches]
        self.destinations = list(zip(DESTINATIONS, destination_orgs, strict=True))
        self.destination_weights = [d.weight for d in DESTINATIONS]
        self.tags = tags
        self.recorder_id = recorder_id
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.certificate_seq: Counter[int] = Counter()

    def between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + _days(self.rng.randint(0, max((end - start).days, 0)))

    def firm(self, industry: str, dest: Destination) -> str:
        words = self.rng.choice(FIRM_WORDS) + self.rng.choice(FIRM_WORDS)
        place = dest.district if dest.district.endswith(("市", "镇")) else dest.city
        suffix = self.rng.choice(FIRM_SUFFIXES.get(industry, ("有限公司",)))
        return f"{place[:-1]}{words}{suffix}"

    def address(self, dest: Destination, area: str) -> str:
        city = "" if dest.district.endswith("市") else dest.city  # a county-level city stands on its own
        area = "" if area == dest.district else area
        return f"{city}{dest.district}{area}{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"

    def at(self, day: datetime.date, previous: datetime.datetime | None) -> datetime.datetime:
        """A working-hours timestamp on the day, never in the future and never before the previous event's.
        Timelines are ordered by (at, id) and events are inserted in order, so a tie still sorts right."""
        moment = datetime.datetime.combine(
            day, datetime.time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tzinfo=self.tz
        )
        moment = min(moment, self.now)
        return max(moment, previous) if previous is not None else moment

    # ------------------------------------------------------------ one member

    def member(self) -> tuple[Member, list[tuple[Outflow, list[Event]]], list[int]]:
        rng, today = self.rng, self.today
        branch = rng.choices(self.branches, self.branch_weights)[0]
        male = rng.random() < 0.72
        if branch.yao:
            ethnicity = "瑶族" if rng.random() < 0.55 else "汉族"
        else:
            ethnicity = rng.choices(("汉族", "瑶族", "壮族", "苗族"), (93, 6, 0.5, 0.5))[0]
        first, last, _w = rng.choices(BIRTH_DECADES, [d[2] for d in BIRTH_DECADES])[0]
        birth = self.between(datetime.date(first, 1, 1), datetime.date(last, 12, 31))
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        education = self.pick(next(table for limit, table in EDUCATION_BY_BIRTH if birth.year < limit))

        if age <= 31 and rng.random() < 0.12:
            joined = today - _days(rng.randint(0, 364))
            full_on, category = None, Category.PROBATIONARY
        else:
            joined = _add_years(birth, rng.randint(18, 30)) + _days(rng.randint(0, 364))
            if joined > today - _days(366):
                joined = self.between(_add_years(birth, 18), today - _days(366))
            full_on, category = _add_years(joined, 1), Category.FULL

        standing = Standing.NORMAL
        if category == Category.FULL:
            standing = rng.choices(
                (Standing.NORMAL, Standing.SUSPENDED, Standing.EXPELLED, Standing.DECEASED),
                (98.8, 0.4, 0.2, 0.6 if age >= 55 else 0.1),
            )[0]

        id_number = self.people.id_number(birth, male)
        phone = "" if rng.random() < 0.02 else self.people.phone()
        member = Member(
            name=self.people.name(male, branch.yao and ethnicity == "瑶族"),
            gender=Gender.MALE if male else Gender.FEMALE,
            ethnicity=ethnicity,
            birth_date=birth,
            # Plaintext here: EncryptedCharField encrypts in get_prep_value, which bulk_create calls.
            # The blind indexes are normally set by Member.save(), which bulk_create bypasses.
            id_number=id_number,
            id_number_hash=blind_index(id_number),
            phone=phone,
            phone_hash=blind_index(phone) if phone else "",
            education=education,
            joined_on=joined,
            full_member_on=full_on,
            category=category,
            standing=standing,
            household_township=branch.township,
            household_village=branch.short_name,
            home_branch_id=branch.org_id,
        )
        outflows = self.outflows(member)
        return member, outflows, self.member_tags(age, outflows)

    def member_tags(self, age: int, outflows: list[tuple[Outflow, list[Event]]]) -> list[int]:
        rng = self.rng
        business = any(o.reason == FlowReason.BUSINESS for o, _e in outflows)
        chances = {
            "老党员": 0.9 if age >= 70 else 0,
            "困难党员": 0.08 if age >= 60 else 0.03,
            "村后备力量": 0.08 if age <= 40 else 0,
            "两代表一委员": 0.01,
            "致富能手": 0.3 if business else 0.01,
        }
        return [self.tags[name] for name, chance in chances.items() if rng.random() < chance]

    # ------------------------------------------------------------ outflows

    def outflows(self, member: Member) -> list[tuple[Outflow, list[Event]]]:
        rng, today = self.rng, self.today
        start = max(EARLIEST_DEPARTURE, _add_years(member.birth_date, 18), member.joined_on or EARLIEST_DEPARTURE)
        standing = member.standing
        has_open = standing == Standing.SUSPENDED or (standing == Standing.NORMAL and rng.random() < 0.86)
        wanted_past = rng.choices((0, 1, 2), (78, 17, 5))[0]
        if standing in (Standing.EXPELLED, Standing.DECEASED):
            wanted_past = max(wanted_past, 1)

        spans: list[tuple[datetime.date, datetime.date]] = []
        cursor = start
        for _ in range(wanted_past):
            room = (today - cursor).days
            if room < 240:
                break
            departure = cursor + _days(rng.randint(0, room // 2))
            end = departure + _days(rng.randint(60, max(60, min(1500, (today - departure).days - 30))))
            spans.append((departure, end))
            cursor = end + _days(rng.randint(20, 300))

        result = []
        for i, (departure, end) in enumerate(spans):
            is_last = i == len(spans) - 1 and not has_open
            result.append(self.closed_outflow(member, departure, end, self.end_kind(standing, is_last)))
        if has_open:
            departure = self.between(min(cursor, today), today)
            result.append(self.open_outflow(member, departure))
        return result

    def end_kind(self, standing: str, is_last: bool) -> tuple[str, str]:
        """How a past outflow ended: (event kind, note)."""
        if is_last and standing == Standing.DECEASED:
            return E.CLOSE, "党员去世，予以注销"
        if is_last and standing == Standing.EXPELLED:
            return E.CLOSE, "已出党，注销流动登记"
        if is_last:
            kind = self.rng.choices((E.RETURN, E.TRANSFER, E.CLOSE), (65, 25, 10))[0]
        else:
            # A transfer moves the membership away for good, so only a member's last outflow can end in one.
            kind = self.rng.choices((E.RETURN, E.CLOSE), (88, 12))[0]
        notes = {
            E.RETURN: "返乡居住，回原支部参加组织生活",
            E.TRANSFER: "组织关系已转至流入地党组织",
            E.CLOSE: self.rng.choice(CLOSE_NOTES),
        }
        return kind, notes[kind]

    def base_outflow(self, member: Member, departure: datetime.date, reported: bool) -> Outflow:
        rng = self.rng
        dest, org_id = rng.choices(self.destinations, self.destination_weights)[0]
        reason = self.pick(REASONS)
        if reason == FlowReason.STUDY and departure.year - member.birth_date.year > 30:
            reason = FlowReason.WORK
        industry = self.pick(dest.industries)
        if reason == FlowReason.STUDY:
            industry, employer = "", SCHOOLS.get(dest.city, f"{dest.city.removesuffix('市')}职业技术学院")
        elif reason == FlowReason.FAMILY:
            industry, employer = "", ""
        elif reason == FlowReason.BUSINESS and rng.random() < 0.4:
            employer = "个体经营"
        else:
            employer = self.firm(industry, dest)
        issued = max(departure - _days(rng.randint(0, 7)), member.joined_on or departure)
        year = issued.year
        self.certificate_seq[year] += 1
        area = rng.choice(dest.areas)
        with_partner = bool(dest.partners) and rng.random() < (0.85 if reported else 0.4)
        # The partner is the street or town committee where the member lives, when we know it.
        partners = [p for p in dest.partners if area in p] or dest.partners
        return Outflow(
            departure_date=departure,
            province=dest.province,
            city=dest.city,
            district=dest.district,
            address=self.address(dest, area),
            scope=dest.scope,
            reason=reason,
            industry=industry,
            employer=employer,
            flowing_org_id=org_id,
            partner_org_name=rng.choice(partners) if with_partner else "",
            partner_contact=self.people.name(rng.random() < 0.6) if with_partner else "",
            partner_contact_phone=self.people.phone() if with_partner else "",
            certificate_number=f"LS{year}{self.certificate_seq[year]:05d}",
            certificate_issued_on=issued,
            pair_contact=self.people.name(rng.random() < 0.7) if rng.random() < 0.4 else "",
        )

    def open_outflow(self, member: Member, departure: datetime.date) -> tuple[Outflow, list[Event]]:
        rng, today = self.rng, self.today
        if member.standing == Standing.SUSPENDED:
            target = S.LOST  # membership suspended after long lost contact (停止党籍)
        else:
            registered = 0.5 if (today - departure).days < 180 else 0.18
            target = rng.choices((S.REGISTERED, S.REPORTED, S.LOST), (registered, 0.95 - registered, 0.05))[0]
        reports = target == S.REPORTED or (target == S.LOST and rng.random() < 0.7)
        outflow = self.base_outflow(member, departure, reports)
        events: list[Event] = [(E.REGISTER, "", S.REGISTERED, departure, self.register_note(outflow), "")]
        status, last = S.REGISTERED, departure
        if reports:
            last = outflow.reported_on = min(departure + _days(rng.randint(3, 60)), today)
            events.append((E.REPORT, S.REGISTERED, S.REPORTED, last, "已到流入地党组织报到", ""))
            status = S.REPORTED
        if target == S.LOST:
            lost_on = self.between(min(last + _days(90), today), today)
            cause = self.pick(LOST_CAUSES)
            outflow.status_before_lost, outflow.lost_cause, outflow.lost_on = status, cause, lost_on
            events.append((E.LOSE, status, S.LOST, lost_on, "多次电话、微信联系未果，列入失联党员台账", cause))
            status = S.LOST
        outflow.status = status
        outflow.relationship_transferred = False
        if (today - outflow.certificate_issued_on).days > 365 and rng.random() < 0.85:
            outflow.certificate_checked_on = self.between(
                max(outflow.certificate_issued_on + _days(300), today - _days(365)), today
            )
        return outflow, events

    def closed_outflow(
        self, member: Member, departure: datetime.date, end: datetime.date, ending: tuple[str, str]
    ) -> tuple[Outflow, list[Event]]:
        rng = self.rng
        reports = rng.random() < 0.7
        outflow = self.base_outflow(member, departure, reports)
        events: list[Event] = [(E.REGISTER, "", S.REGISTERED, departure, self.register_note(outflow), "")]
        status, last = S.REGISTERED, departure
        if reports and (end - departure).days > 10:
            last = outflow.reported_on = departure + _days(rng.randint(3, min(60, (end - departure).days - 5)))
            events.append((E.REPORT, S.REGISTERED, S.REPORTED, last, "已到流入地党组织报到", ""))
            status = S.REPORTED
        if rng.random() < 0.06 and (end - last).days > 60:
            # Lost for a while and found again; mark_found clears the cause and date but keeps status_before_lost.
            lost_on = last + _days(rng.randint(1, (end - last).days // 2))
            found_on = self.between(lost_on + _days(1), end - _days(1))
            cause = self.pick(LOST_CAUSES)
            outflow.status_before_lost = status
            events.append((E.LOSE, status, S.LOST, lost_on, "多次联系未果，暂列失联", cause))
            events.append((E.FIND, S.LOST, status, found_on, "已恢复联系", ""))
        kind, note = ending
        final = {E.RETURN: S.RETURNED, E.TRANSFER: S.TRANSFERRED, E.CLOSE: S.CLOSED}[kind]
        events.append((kind, status, final, end, note, ""))
        outflow.status, outflow.ended_on = final, end
        outflow.relationship_transferred = kind == E.TRANSFER
        if (end - outflow.certificate_issued_on).days > 365 and rng.random() < 0.7:
            outflow.certificate_checked_on = self.between(outflow.certificate_issued_on + _days(300), end)
        return outflow, events

    def register_note(self, outflow: Outflow) -> str:
        what = {
            FlowReason.WORK: "外出务工",
            FlowReason.BUSINESS: "外出经商",
            FlowReason.STUDY: "外出求学",
            FlowReason.FAMILY: "随家属外出",
            FlowReason.OTHER: "外出",
        }[outflow.reason]
        return f"{what}，已发放流动党员活动证"

    # ------------------------------------------------------------ one batch

    def save_batch(self, size: int, stats: Stats) -> None:
        planned = [self.member() for _ in range(size)]
        with transaction.atomic():
            members = Member.objects.bulk_create([m for m, _o, _t in planned])
            outflows: list[Outflow] = []
            event_plans: list[list[Event]] = []
            open_member_ids: list[int] = []
            for member, (_m, member_outflows, _t) in zip(members, planned, strict=True):
                for outflow, events in member_outflows:
                    outflow.member_id = member.pk
                    outflows.append(outflow)
                    event_plans.append(events)
                    if outflow.status in OPEN_STATUSES:
                        open_member_ids.append(member.pk)
            Outflow.objects.bulk_create(outflows)

            events_to_save = []
            for outflow, events in zip(outflows, event_plans, strict=True):
                previous = None
                for kind, from_status, to_status, on, note, cause in events:
                    previous = self.at(on, previous)
                    events_to_save.append(
                        OutflowEvent(
                            outflow_id=outflow.pk,
                            kind=kind,
                            from_status=from_status,
                            to_status=to_status,
                            on=on,
                            at=previous,
                            by_id=self.recorder_id,
                            note=note,
                            lost_cause=cause,
                        )
                    )
            OutflowEvent.objects.bulk_create(events_to_save, batch_size=2000)

            # Member and Outflow point at each other, so the member rows exist before their open outflow;
            # one UPDATE per batch links them.
            open_outflows = Outflow.objects.filter(member=OuterRef("pk"), status__in=OPEN_STATUSES)
            Member.objects.filter(pk__in=open_member_ids).update(
                current_outflow=Subquery(open_outflows.values("pk")[:1]),
                flowing_org=Subquery(open_outflows.values("flowing_org")[:1]),
            )
            through = Member.tags.through
            tag_rows = [
                through(member_id=member.pk, tag_id=tag)
                for member, (_m, _o, tags) in zip(members, planned, strict=True)
                for tag in tags
            ]
            through.objects.bulk_create(tag_rows, batch_size=2000)

        stats.members += len(members)
        stats.outflows.update(o.status for o in outflows)
        stats.events += len(events_to_save)
        stats.tags += len(tag_rows)


class Command(BaseCommand):
    help = (
        "Load a realistic demo Lanshan County: the organization tree, 22 flowing organizations with stations, "
        "destination partner organizations, tags, N members with outflows and their timelines, and one account "
        f"per role (password {DEMO_PASSWORD})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=4000, help="Number of members to create (default 4000).")
        parser.add_argument(
            "--seed", type=int, default=431127, help="Random seed, for reproducible data (default 431127)."
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Members per transaction (default 2000).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete existing members, outflows, organizations and demo accounts first, then rebuild.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off (a staging or test deployment). Never on the county's real database: "
            f"the demo accounts' password ({DEMO_PASSWORD}) is published.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total, batch_size = options["members"], options["batch_size"]
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like a production database. load_demo creates accounts with a published "
                "password, and --reset deletes every member and organization. Nothing was changed. On a staging "
                "or test deployment, add --allow-production."
            )
        if total < 0 or batch_size < 1:
            raise CommandError("--members must be 0 or more and --batch-size at least 1.")
        started = time.monotonic()

        if Organization.objects.exists() or Member.objects.exists():
            if not options["reset"]:
                self.stdout.write(
                    self.style.WARNING(
                        f"The database already has {Organization.objects.count()} organizations and "
                        f"{Member.objects.count()} members; nothing was changed. "
                        "Run `manage.py load_demo --reset` to delete them and load the demo county again."
                    )
                )
                return
            self.reset()

        people = People(random.Random(options["seed"]))
        with transaction.atomic():
            orgs, branches, destination_orgs = self.build_organizations(people)
            tags = {name: Tag.objects.get_or_create(name=name)[0].pk for name in TAG_NAMES}
            created_users = self.create_users(orgs)
        self.stdout.write(f"organizations {Organization.objects.count()}, stations {Station.objects.count()}")

        # Imported history is shown as recorded by the county organization department's demo account.
        recorder_id = User.objects.filter(username="county").values_list("pk", flat=True).first()
        builder = DemoBuilder(people, branches, destination_orgs, tags, recorder_id)
        stats = Stats()
        while stats.members < total:
            builder.save_batch(min(batch_size, total - stats.members), stats)
            reset_queries()  # with DEBUG on, Django keeps every (huge) INSERT statement it ran
            self.stdout.write(f"members {stats.members}/{total}  ({time.monotonic() - started:.1f}s)")
        self.appoint_flowing_secretaries()
        self.summary(stats, created_users, time.monotonic() - started)
        self.load_the_rest(random.Random(options["seed"] + 1))

    def load_the_rest(self, rng: random.Random) -> None:
        """A year of organizational life, agreements, services and contributions, built on the members above."""
        today = timezone.localdate()
        started = time.monotonic()
        # The demo ledger counts as entered two years ago, when the platform went live: the six-month rule
        # counts a member never seen at organizational life from that day, not from today.
        went_live = datetime.datetime(today.year - 2, 3, 1, 9, tzinfo=timezone.get_current_timezone())
        Member.objects.filter(created_at__gt=went_live).update(created_at=went_live)
        life = activities_demo.load(rng, today=today)
        self.stdout.write(
            f"  activities: {life['activities']} with {life['attendance']} attendance records, "
            f"red packages {life['red_packages']}"
        )
        self.stdout.write(f"  agreements: {organizations_demo.load(rng, today=today)}")
        contributions = services_demo.load(rng, today=today)
        self.stdout.write("  " + ", ".join(f"{name} {n}" for name, n in contributions.items()))
        campaigns = members_demo.load(rng, today=today)
        self.stdout.write(f"  census campaigns: {campaigns['campaigns']} with {campaigns['tasks']} tasks")
        self.stdout.write(
            self.style.SUCCESS(f"Organizational life and services loaded in {time.monotonic() - started:.1f}s.")
        )

    # ------------------------------------------------------------ reset

    def reset(self) -> None:
        self.stdout.write("Deleting existing members, outflows, organizations and demo accounts …")
        with transaction.atomic():
            for model in (
                Notification,
                CensusTask,
                CensusCampaign,
                Attendance,
                ActivityPhoto,
                Activity,
                RedPackage,
                ServiceCase,
                Recognition,
                RepresentativePost,
                HometownProject,
                Agreement,
            ):
                model.objects.all().delete()
            OutflowEvent.objects.all().delete()
            Member.objects.update(current_outflow=None, flowing_org=None)
            Organization.objects.update(parent=None, secretary=None)  # lets one DELETE take the whole tree
            Outflow.objects.all().delete()
            Member.tags.through.objects.all().delete()
            Member.objects.all().delete()
            Station.objects.all().delete()
            demo = Q(username__in=[u[0] for u in DEMO_USERS], is_superuser=False)
            # The demo `admin` is a superuser; a real superuser someone created by hand is left alone.
            demo |= Q(username=DEMO_USERS[0][0], is_superuser=True, full_name=DEMO_USERS[0][4])
            User.objects.filter(demo).delete()
            kept = User.objects.exclude(organization=None).update(organization=None)
            if kept:
                self.stdout.write(
                    self.style.WARNING(f"{kept} other account(s) kept but unbound from their organization.")
                )
            Organization.objects.all().delete()

    # ------------------------------------------------------------ organizations

    def build_organizations(self, people: People) -> tuple[dict[str, Organization], list[Branch], list[int | None]]:
        """The county tree, the flowing organizations and the partner directory.

        Returns the organizations demo accounts are bound to, the home branches with their relative sizes,
        and for each destination the flowing organization its members belong to."""
        rng = people.rng
        province, city, county_name = HOME_REGION
        orgs: dict[str, Organization] = {}
        county = Organization.objects.create(
            name="中共蓝山县委员会",
            short_name="蓝山县委",
            kind=OrgKind.COUNTY,
            level=OrgLevel.COMMITTEE,
            province=province,
            city=city,
            district=county_name,
        )
        orgs["county"] = county

        branches: list[Branch] = []
        for township_name, yao, branch_names in TOWNSHIPS:
            township = Organization.objects.create(
                name=f"中共蓝山县{township_name}委员会",
                short_name=township_name,
                kind=OrgKind.TOWNSHIP,
                level=OrgLevel.COMMITTEE,
                parent=county,
                province=province,
                city=city,
                district=county_name,
                secretary_name=people.name(rng.random() < 0.8),
                contact_phone=people.phone(),
            )
            orgs[township_name] = township
            for branch_name in branch_names[: rng.randint(2, 5)]:
                branch = Organization.objects.create(
                    name=f"中共蓝山县{township_name}{branch_name}支部委员会",
                    short_name=branch_name,
                    kind=OrgKind.COMMUNITY if branch_name.endswith("社区") else OrgKind.VILLAGE,
                    level=OrgLevel.BRANCH,
                    parent=township,
                    province=province,
                    city=city,
                    district=county_name,
                    secretary_name=people.name(rng.random() < 0.8, yao),
                    contact_phone=people.phone(),
                )
                orgs[branch_name] = branch
                # Town-seat communities are bigger than mountain villages.
                weight = rng.uniform(0.6, 1.4) * (1.6 if branch_name.endswith("社区") else 1) * (0.7 if yao else 1)
                branches.append(Branch(branch.pk, branch_name, township_name, yao, weight))

        destination_orgs: list[int | None] = []
        for dest in DESTINATIONS:
            spec = dest.flowing
            if spec is None:
                destination_orgs.append(None)
                continue
            general = spec.level == OrgLevel.GENERAL_BRANCH
            org = Organization.objects.create(
                name=f"中共蓝山县驻{spec.place}流动党员{'总支部' if general else '支部'}委员会",
                short_name=f"驻{spec.short_place}{'总支' if general else '支部'}",
                kind=OrgKind.FLOWING,
                level=spec.level,
                parent=county,
                founded=spec.founded,
                province=dest.province,
                city=dest.city,
                district=dest.district,
                address=spec.address,
                basis=spec.basis,
                secretary_name=people.name(True),  # replaced by one of its members once they exist
                contact_phone=people.phone(),
                approved_by=APPROVER,
                approval_date=spec.founded - _days(rng.randint(7, 30)),
            )
            orgs[spec.short_place] = org
            destination_orgs.append(org.pk)
            Station.objects.bulk_create(
                Station(
                    organization=org,
                    name=station.name,
                    address=station.address,
                    opened_on=station.opened_on,
                    funding=list(station.funding),
                    duties=station.duties,
                )
                for station in spec.stations
            )

        # Same rule as members.actions.match_flowing_org: the district's organization, else the city's
        # first one (by id, i.e. creation order), else none.
        for i, dest in enumerate(DESTINATIONS):
            if destination_orgs[i] is None:
                destination_orgs[i] = next(
                    (
                        org_id
                        for other, org_id in zip(DESTINATIONS, destination_orgs, strict=True)
                        if other.flowing and (other.province, other.city) == (dest.province, dest.city)
                    ),
                    None,
                )

        for name, partner_province, partner_city, district in PARTNER_ORGS:
            Organization.objects.create(
                name=name,
                short_name=name.removeprefix("中共"),
                kind=OrgKind.PARTNER,
                level=OrgLevel.COMMITTEE,
                province=partner_province,
                city=partner_city,
                district=district,
            )
        return orgs, branches, destination_orgs

    def create_users(self, orgs: dict[str, Organization]) -> list[str]:
        created = []
        for username, role, org_key, may_reveal, full_name in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(self.style.WARNING(f"Account {username!r} already exists; left unchanged."))
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
        return created

    def appoint_flowing_secretaries(self) -> None:
        """Make each flowing organization's secretary one of its own long-standing reported members."""
        for org in Organization.objects.flowing():
            member = (
                Member.objects.filter(
                    flowing_org=org,
                    current_outflow__status=S.REPORTED,
                    standing=Standing.NORMAL,
                    category=Category.FULL,
                )
                .exclude(phone_hash="")
                .order_by("current_outflow__departure_date", "pk")
                .first()
            )
            if member is not None:
                org.secretary, org.secretary_name, org.contact_phone = member, member.name, member.phone
                org.save(update_fields=["secretary", "secretary_name", "contact_phone"])

    # ------------------------------------------------------------ report

    def summary(self, stats: Stats, created_users: list[str], seconds: float) -> None:
        kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")).order_by())
        write = self.stdout.write
        write(self.style.SUCCESS(f"Demo county loaded in {seconds:.1f}s."))
        write("  organizations: " + ", ".join(f"{kind} {kinds.get(kind, 0)}" for kind in OrgKind.values))
        write(f"  stations: {Station.objects.count()}")
        write(f"  members: {stats.members} (tag assignments {stats.tags})")
        write(
            f"  outflows: {sum(stats.outflows.values())} ("
            + ", ".join(f"{status} {stats.outflows[status]}" for status in S.values)
            + f"), events {stats.events}"
        )
        if stats.members:
            write(f"  rate: {stats.members / seconds:.0f} members/s")
        if created_users:
            write(f"Demo accounts, all with password {DEMO_PASSWORD}:")
            for user in User.objects.filter(username__in=created_users).select_related("organization"):
                reveal = "，可查看完整个人信息" if user.may_reveal else ""
                write(f"  {user.username:<10} {user.role:<10} {user.full_name}（{user.organization}）{reveal}")
