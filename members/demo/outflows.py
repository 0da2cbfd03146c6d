"""The demo county's members: people born, joined and gone away as the county's are, with their outflows and
timelines, generated batch by batch and saved with bulk inserts."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from lanshan_party.demo import People
from lanshan_party.personal_data import blind_index
from members.actions import report_due
from members.models import (
    OPEN_STATUSES,
    Category,
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
)
from organizations.demo.places import DESTINATIONS, HOME_REGION, Destination
from organizations.demo.tree import Branch

EARLIEST_DEPARTURE = datetime.date(2010, 1, 1)

S = OutflowStatus
E = OutflowEventKind

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
class Stats:
    members: int = 0
    outflows: Counter[str] = field(default_factory=Counter)
    events: int = 0
    tags: int = 0


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
            report_due_on=report_due(departure),
            province=dest.province,
            city=dest.city,
            district=dest.district,
            address=self.address(dest, area),
            scope=FlowScope.IN_PROVINCE if dest.province == HOME_REGION[0] else FlowScope.CROSS_PROVINCE,
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
