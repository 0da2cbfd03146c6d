"""The demo's inflow members: about forty in several branches, in every state, with reports back and attendance."""

import io
import random

from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.db.models import Count
from django.utils import timezone

from inflow.models import InflowAttendance, InflowMember, InflowReport, InflowStatus
from lanshan_party import registry
from lanshan_party.demo import People
from lanshan_party.personal_data import validate_id_number

NEEDED = ("organizations", "accounts", "members", "activities", "inflow")


def test_the_demo_county_has_inflow_members_in_every_state_with_reports_and_attendance(db):
    context = registry.DemoContext(
        people=People(random.Random(431127)),
        rng=random.Random(431128),
        today=timezone.localdate(),
        members=300,
        batch_size=2000,
        stdout=OutputWrapper(io.StringIO()),
        style=no_style(),
    )
    for demo in registry.demos_in_order():
        if demo.name in NEEDED:  # the demos inflow's are built on, in their order
            demo.load(context)

    assert 35 <= InflowMember.objects.count() <= 45
    assert set(InflowMember.objects.values_list("status", flat=True)) == set(InflowStatus.values)
    assert InflowMember.objects.values("branch").distinct().count() >= 4
    assert InflowReport.objects.count() >= 20
    assert InflowAttendance.objects.count() >= 20
    assert InflowMember.objects.life_warnings().exists()  # some have stopped attending
    assert InflowMember.objects.filter(last_life_on__isnull=False).exists()
    for inflow in InflowMember.objects.all():
        assert validate_id_number(inflow.id_number) == inflow.id_number
        inflow.full_clean()
    per_branch = dict(InflowMember.objects.values_list("branch__name").annotate(n=Count("id")))
    assert any("花果村" in name for name in per_branch)  # the demo branch secretary has some
