"""Home visits (走访): a secretary's visit to a member's family, held by one organization."""

from django.db import models

from lanshan_party.scoping import ScopedQuerySet


class VisitQuerySet(ScopedQuerySet):
    organization_fks = ("organization",)


class Visit(models.Model):
    """A home visit (走访) by an organization to a member's family."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    family = models.CharField("family visited", max_length=50)
    visited_on = models.DateField("visited on")

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "pk"]

    def __str__(self) -> str:
        return self.family
