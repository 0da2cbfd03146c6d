"""The choices an outflow is described with: scope, reason, status (and which are open), lost causes, event kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FlowScope(models.TextChoices):
    IN_PROVINCE = "in_province", _("Outside the county, within the province")
    CROSS_PROVINCE = "cross_province", _("Another province")
    ABROAD = "abroad", _("Abroad")


class FlowReason(models.TextChoices):
    WORK = "work", _("Work")
    BUSINESS = "business", _("Business")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Following family")
    OTHER = "other", _("Other")


class OutflowStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    REPORTED = "reported", _("Reported at destination")
    LOST = "lost", _("Lost contact")
    RETURNED = "returned", _("Returned home")
    TRANSFERRED = "transferred", _("Relationship transferred out")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (OutflowStatus.REGISTERED, OutflowStatus.REPORTED, OutflowStatus.LOST)


class LostCause(models.TextChoices):
    """The seven official causes of losing contact (失联原因)."""

    WORK_BUSINESS = "work_business", _("Away for work or business")
    RESTRUCTURING = "restructuring", _("Employer restructured or bankrupt")
    GRADUATE = "graduate", _("Graduated, whereabouts unknown")
    EMPLOYER_CHANGED = "employer_changed", _("Changed employer")
    ABROAD = "abroad", _("Went abroad")
    MOVED = "moved", _("Changed residence")
    OTHER = "other", _("Other")


class OutflowEventKind(models.TextChoices):
    REGISTER = "register", _("Departure registered")
    REPORT = "report", _("Reported at destination")
    REFUSE = "refuse", _("Report-in refused at the destination")
    HAND_OVER = "hand_over", _("Handed over to another flowing organization")
    UPDATE = "update", _("Whereabouts updated")
    RETURN = "return", _("Returned home")
    TRANSFER = "transfer", _("Relationship transferred out")
    LOSE = "lose", _("Marked lost")
    FIND = "find", _("Found again")
    CLOSE = "close", _("Closed")
