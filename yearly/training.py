"""Training hours (学时): each member's hours in a year from the activities attended (present or online) and the
study recorded for them, against the yearly target, computed in SQL as correlated subqueries so that a list of any
length is one query (plus its count)."""

import datetime
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from activities.models import ATTENDED, ActivityType, Attendance
from members.models import Member, Standing
from organizations.models import Organization
from yearly.models import CADRE_TARGET_HOURS, TARGET_HOURS, CommitteeMember, StudyRecord

# Activities that are not study: a condolence visit is care received, volunteer service is work done. Every other
# type counts with the hours recorded on the activity (Activity.hours, 2 by default).
NOT_TRAINING = (ActivityType.CONDOLENCE, ActivityType.VOLUNTEER)

HOURS = DecimalField(max_digits=7, decimal_places=1)


def _sum_per_member(queryset: QuerySet, field: str) -> Coalesce:
    total = queryset.filter(member=OuterRef("pk")).order_by().values("member").annotate(total=Sum(field))
    return Coalesce(Subquery(total.values("total"), output_field=HOURS), Value(Decimal(0)), output_field=HOURS)


def with_training_hours(members: QuerySet, year: int) -> QuerySet:
    """Members annotated with activity_hours, study_hours, hours (their sum), is_cadre (a secretary or committee
    member some day of the year), target (32 or 56) and missing (what is left to reach it, 0 once reached)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    attended = Attendance.objects.filter(
        status__in=ATTENDED, activity__date__gte=first, activity__date__lte=last
    ).exclude(activity__type__in=NOT_TRAINING)
    studied = StudyRecord.objects.filter(date__gte=first, date__lte=last)
    seats = CommitteeMember.objects.serving_in(first, last).filter(member=OuterRef("pk"))
    return (
        members.annotate(
            activity_hours=_sum_per_member(attended, "activity__hours"),
            study_hours=_sum_per_member(studied, "hours"),
            is_cadre=ExpressionWrapper(
                Q(Exists(seats)) | Q(Exists(Organization.objects.filter(secretary=OuterRef("pk"), is_active=True))),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            hours=ExpressionWrapper(F("activity_hours") + F("study_hours"), output_field=HOURS),
            target=Case(
                When(is_cadre=True, then=Value(CADRE_TARGET_HOURS)), default=Value(TARGET_HOURS), output_field=HOURS
            ),
        )
        .annotate(
            missing=Case(
                When(hours__lt=F("target"), then=ExpressionWrapper(F("target") - F("hours"), output_field=HOURS)),
                default=Value(Decimal(0)),
                output_field=HOURS,
            )
        )
    )


def on_the_roll(members: QuerySet) -> QuerySet:
    """Members in good standing: those who owe the year's hours."""
    return members.filter(standing=Standing.NORMAL)


def shortfall(members: QuerySet, year: int) -> QuerySet:
    """Members on the roll below their target for the year, the furthest behind first."""
    return (
        with_training_hours(on_the_roll(members), year).filter(hours__lt=F("target")).order_by("-missing", "name", "id")
    )


def hours_of(member: Member, year: int) -> Member:
    """The member with the year's figures (one query)."""
    return with_training_hours(Member.objects.filter(pk=member.pk), year).get()
