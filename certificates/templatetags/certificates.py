"""The certificates card on a member's page (with the prompt to take the certificate back from a member who is no
longer away), and the register status badge."""

from typing import Any

from django import template

from certificates.models import Certificate, home_township
from certificates.tables import status_badge
from lanshan_party.models import Role
from lanshan_party.rights import Right, has_right

register = template.Library()


@register.simple_tag
def register_status_badge(certificate: Certificate) -> str:
    return status_badge(certificate)


@register.inclusion_tag("certificates/includes/member_card.html", takes_context=True)
def certificate_card(context: Any, member: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    if not has_right(user, Right.KEEP_CERTIFICATES):
        return {"hidden": True, "member": member, "certificates": []}
    certificates = list(Certificate.objects.visible_to(user).filter(member=member).order_by("-issued_on", "-id"))
    valid = next((c for c in certificates if c.is_valid), None)
    may_issue = (
        member.current_outflow_id is not None
        and valid is None
        and member.standing == "normal"
        and has_right(user, Right.ISSUE_CERTIFICATES)
        and (user.role != Role.TOWNSHIP or getattr(home_township(member), "pk", None) == user.organization_id)
    )
    return {
        "member": member,
        "certificates": certificates,
        "may_issue": may_issue,
        # Back home (or transferred, or the outflow closed): the certificate should come back.
        "hand_back_prompt": valid if valid is not None and member.current_outflow_id is None else None,
    }
