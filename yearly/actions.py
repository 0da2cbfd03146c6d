"""The year's workflows: recording an organization's new term (its election, 换届), which ends the term before it and
tells the flowing organizations looking after the branch's members away that their home branch has held it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.models import User
from lanshan_party.notifications import Reminder, secretaries_of, write
from members.models import Member
from organizations.models import HOME_BRANCH_KINDS, Organization
from yearly.models import Term, default_term_years
from yearly.reminders import ELECTION_HELD


@transaction.atomic
def record_term(
    organization: Organization,
    *,
    started_on: datetime.date,
    years: int | None = None,
    extended_until: datetime.date | None = None,
    note: str = "",
    by: User | None,
) -> Term:
    """The organization elected its committee on `started_on`: the new term becomes the current one (the previous
    one is kept as history), and for a home branch the secretaries of the flowing organizations of its members away
    are told, so those members hear of it."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    previous = Term.objects.filter(organization=organization, is_current=True).first()
    if previous is not None and started_on <= previous.started_on:
        raise ValidationError(
            {
                "started_on": _(
                    "The current term began on %(start)s. A new term begins after it: check the election day, or "
                    "edit the current term instead."
                )
                % {"start": f"{previous.started_on:%Y-%m-%d}"}
            }
        )
    term = Term(
        organization=organization,
        started_on=started_on,
        years=years or default_term_years(organization),
        extended_until=extended_until,
        note=note,
        recorded_by=by if by is not None and by.is_authenticated else None,
        is_current=False,  # checked beside the current term, which ends below
    )
    term.full_clean(exclude=["regular_end", "ends_on"])
    if previous is not None:
        before = audit.snapshot(previous)
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
        audit.record_update(
            previous, before, actor=by, note=_("Ended by the election of %(day)s") % {"day": started_on}
        )
    term.is_current = True
    term.save()
    audit.record_create(term, actor=by)
    if organization.kind in HOME_BRANCH_KINDS:
        tell_flowing_organizations(term)
    return term


def tell_flowing_organizations(term: Term) -> int:
    """An in-app (and e-mail) notice to the secretaries of each flowing organization looking after members of the
    branch who are away: their home branch has elected its committee. Returns the new outbox rows."""
    away = (
        Member.objects.filter(home_branch=term.organization, current_outflow__isnull=False, flowing_org__isnull=False)
        .order_by()
        .values_list("flowing_org")
    )
    counts: dict[int, int] = {}
    for (org_id,) in away:
        counts[org_id] = counts.get(org_id, 0) + 1
    reminders = []
    for org_id, users in secretaries_of(counts).items():
        values = {"branch": term.organization.name, "day": f"{term.started_on:%Y-%m-%d}", "count": counts[org_id]}
        for user in users:
            reminders.append(
                Reminder(
                    key=f"election:{term.pk}:{org_id}:{user.pk}",
                    recipient=user,
                    kind=ELECTION_HELD,
                    subject=_("%(branch)s held its election on %(day)s") % values,
                    body=_(
                        "%(count)s members of this branch are away under your organization. Tell them of the "
                        "election and its new committee."
                    )
                    % values,
                    link=f"{reverse('members:member_list')}?organization={org_id}",
                )
            )
    return write(reminders)
