"""Term reminders (换届提醒): 90 and 30 days before a term ends, the organization's secretaries and its township (the
county for organizations under no township) hear of it, once per organization, term end and threshold."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import NotificationKind, Role, User
from lanshan_party.notifications import Reminder, write
from lanshan_party.registry import register_sweep
from yearly.models import TERM_REMINDER_DAYS, Term

TERM_ENDING = NotificationKind.TERM_ENDING
ELECTION_HELD = NotificationKind.ELECTION_HELD


def threshold_reached(days_left: int) -> int | None:
    """The nearest reminder threshold the term is within (30 before 90), None when not yet within one or ended."""
    if days_left < 0:
        return None
    reached = [days for days in TERM_REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def recipients_for(terms: list[Term]) -> dict[int, list[User]]:
    """{organization id: its secretaries and the staff of its township, or county staff without a township}, in
    one query for all the terms' organizations."""
    ancestors: dict[int, list[int]] = {term.organization_id: term.organization.ancestor_ids for term in terms}
    if not ancestors:
        return {}
    above = {pk for ids in ancestors.values() for pk in ids} | set(ancestors)
    users = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(role=Role.SECRETARY, organization_id__in=list(ancestors))
            | Q(role=Role.TOWNSHIP, organization_id__in=list(above))
            | Q(role=Role.COUNTY)
        )
        .order_by("pk")
    )
    result: dict[int, list[User]] = {}
    for org_id, path in ancestors.items():
        chosen = [u for u in users if u.role == Role.SECRETARY and u.organization_id == org_id]
        # A township user is bound to a township (ROLE_ORG_KINDS): the one above the organization, or itself.
        township = [u for u in users if u.role == Role.TOWNSHIP and u.organization_id in (*path, org_id)]
        chosen += township or [u for u in users if u.role == Role.COUNTY]
        result[org_id] = chosen
    return result


@register_sweep("terms")
def sweep_terms(today: datetime.date | None = None) -> int:
    """Each current term 90 days (and again 30 days) or less from its end is reminded once per threshold."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(TERM_REMINDER_DAYS))
    terms = list(Term.objects.current().filter(ends_on__gte=today, ends_on__lte=horizon).select_related("organization"))
    recipients = recipients_for(terms)
    reminders = []
    for term in terms:
        threshold = threshold_reached(term.days_left(today))
        if threshold is None:
            continue
        values = {"organization": term.organization.name, "end": f"{term.ends_on:%Y-%m-%d}", "days": threshold}
        for user in recipients[term.organization_id]:
            reminders.append(
                Reminder(
                    key=f"term:{term.organization_id}:{term.ends_on:%Y%m%d}:{threshold}:{user.pk}",
                    recipient=user,
                    kind=TERM_ENDING,
                    subject=_("The term of %(organization)s ends on %(end)s (within %(days)s days)") % values,
                    body=_(
                        "Prepare the election (换届): ask the higher organization for approval, nominate candidates "
                        "and hold the members' meeting before the term ends, then record the new term."
                    ),
                    link=f"{reverse('yearly:term_list')}?organization={term.organization_id}&due=",
                )
            )
    return write(reminders)
