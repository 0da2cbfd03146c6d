"""Each certificate keeps copies of its member's home branch and flowing organization (what scoping reads): they
follow the member when the member is edited and when an outflow step changes the flowing organization."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from certificates.models import Certificate
from members.models import Member, Outflow


@receiver(post_save, sender=Member, dispatch_uid="certificates_follow_member")
def follow_member(sender: Any, instance: Member, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return
    Certificate.objects.filter(member_id=instance.pk).exclude(home_branch_id=instance.home_branch_id).update(
        home_branch_id=instance.home_branch_id
    )


@receiver(post_save, sender=Outflow, dispatch_uid="certificates_follow_outflow")
def follow_outflow(sender: Any, instance: Outflow, created: bool, **kwargs: Any) -> None:
    """Saved by a workflow step just before it points the member at it (members.actions._link_member): an open
    outflow's flowing organization becomes the member's; the member's current outflow ending leaves them none."""
    if kwargs.get("raw"):
        return
    if instance.is_open:
        flowing_org_id = instance.flowing_org_id
    elif Member.objects.filter(pk=instance.member_id, current_outflow_id=instance.pk).exists():
        flowing_org_id = None
    else:
        return
    Certificate.objects.filter(member_id=instance.member_id).exclude(flowing_org_id=flowing_org_id).update(
        flowing_org_id=flowing_org_id
    )
