"""Factories of the year's records."""

import datetime
from decimal import Decimal

import factory

from yearly.models import CommitteeMember, StudyKind, StudyRecord, Term


class StudyRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyRecord

    organization = factory.LazyAttribute(lambda o: o.member.home_branch)
    date = datetime.date(2026, 4, 1)
    title = factory.Sequence(lambda n: f"网络学习专题{n}")
    kind = StudyKind.ONLINE_COURSE
    hours = Decimal("2")


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    organization = factory.LazyAttribute(lambda o: o.member.home_branch)
    since = datetime.date(2024, 1, 1)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    started_on = datetime.date(2024, 1, 10)
    years = 3
