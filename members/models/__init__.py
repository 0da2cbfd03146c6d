"""Party members (党员), their tags, and their outflows (外出/流动登记) with each recorded transition; census campaigns
and their tasks. Each lives in a module of its own; everything is importable from here, as the rest of the code does."""

from members.models.census import (
    CampaignStatus,
    CensusCampaign,
    CensusCampaignQuerySet,
    CensusStatus,
    CensusTask,
    CensusTaskQuerySet,
    ContactChannel,
    Holiday,
)
from members.models.choices import OPEN_STATUSES, FlowReason, FlowScope, LostCause, OutflowEventKind, OutflowStatus
from members.models.members import (
    LIFE_LEVEL_LABELS,
    LIFE_NEXT_STEPS,
    LIFE_WARNING_MONTHS,
    TRANSFER_PROMPT_MONTHS,
    Category,
    Education,
    Gender,
    Member,
    MemberQuerySet,
    Standing,
    Tag,
    life_band_q,
    months_ago,
    needs_transfer_q,
    no_life_since_q,
    report_overdue_q,
)
from members.models.outflows import Outflow, OutflowEvent, OutflowQuerySet
from members.models.partner import EvaluationGrade, PartnerAttendance, PartnerEvaluation, PartnerRecordQuerySet
