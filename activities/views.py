"""Activity pages: list, detail, the activity-with-attendance form, photos, six-month-rule warnings and red packages."""

import re
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from activities import actions
from activities.filters import ActivityFilter, LifeWarningFilter, RedPackageFilter
from activities.forms import ActivityForm, AttendanceForm, RedPackageForm, RosterQueryForm, activity_holders
from activities.models import Activity, ActivityPhoto, Attendance, AttendanceStatus, RedPackage
from activities.tables import ActivityTable, LifeWarningTable, RedPackageTable
from dues.arrears import six_month_section
from lanshan_party import audit, uploads
from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.rights import Right, has_right
from lanshan_party.views import (
    AuditedCreateView,
    AuditedUpdateView,
    PageTitleMixin,
    RoleRequiredMixin,
    ScopedListView,
    ScopedQuerysetMixin,
)
from members.models import LIFE_LEVEL_LABELS, LIFE_NEXT_STEPS, LIFE_WARNING_MONTHS, Member, Standing
from organizations.models import Organization

SUBMISSION_TOKEN = re.compile(r"[0-9a-f]{32}")


class ActivityListView(LedgerExportMixin, ScopedListView):
    model = Activity
    filterset_class = ActivityFilter
    table_class = ActivityTable
    ledger = "activities"
    select_related = ("organization",)
    page_title = gettext_lazy("Activities")

    def get_queryset(self) -> Any:
        return super().get_queryset().with_attendance()


class ActivityDetailView(ScopedQuerysetMixin, DetailView):
    model = Activity

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("organization", "created_by")
            .prefetch_related(
                Prefetch("attendances", Attendance.objects.select_related("member").order_by("member__name")),
                "photos",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups: dict[str, list[Attendance]] = {status: [] for status in AttendanceStatus.values}
        for row in self.object.attendances.all():
            groups[row.status].append(row)
        context["attendance_groups"] = [(AttendanceStatus(s).label, s, rows) for s, rows in groups.items()]
        context["recorded"] = sum(len(rows) for rows in groups.values())
        context["attended"] = len(groups["present"]) + len(groups["online"])
        context["visible_member_ids"] = set(
            Member.objects.visible_to(self.request.user)
            .filter(pk__in=[row.member_id for row in self.object.attendances.all()])
            .values_list("pk", flat=True)
        )
        return context


class ActivityFormView(RoleRequiredMixin, PageTitleMixin, View):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    """Create or edit an activity with its attendance and photos, all in one form that works on a phone."""

    template_name = "activities/activity_form.html"

    def get_object(self, pk: int | None) -> Activity:
        if pk is None:
            return Activity()
        return get_object_or_404(Activity.objects.visible_to(self.request.user).select_related("organization"), pk=pk)

    def get_page_title(self) -> Any:
        if self.object.pk:
            return _("Edit “%(object)s”") % {"object": self.object}
        return _("Record an activity")

    def forms(self, data: Any = None, files: Any = None) -> tuple[ActivityForm, AttendanceForm]:
        user = self.request.user
        form = ActivityForm(data, files, instance=self.object, user=user)
        organization = self.object.organization if self.object.pk else None
        if data is not None and form.is_valid():
            organization = form.cleaned_data["organization"]
        elif organization is None and data is not None:
            # Checked by its own field even when the rest of the form is not valid: the posted value is whatever the
            # client sent ("abc" was a 500), and only an organization the user may record for lists its members.
            organization = form.cleaned_data.get("organization")
        elif organization is None:
            holder_id = form.initial.get("organization")
            organization = activity_holders(user).filter(pk=holder_id).first() if holder_id else None
        attendance = AttendanceForm(data, user=user, organization=organization, activity=self.object)
        return form, attendance

    def render(self, form: ActivityForm, attendance: AttendanceForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "attendance": attendance,
            "object": self.object,
            "page_title": self.get_page_title(),
            "statuses": AttendanceStatus.choices,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.object = self.get_object(pk)
        return self.render(*self.forms())

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.object = self.get_object(pk)
        # The form's own token (uuid4 hex) or none: anything else posted there is not looked up or stored.
        submission = request.POST.get("submission", "")
        submission = submission if SUBMISSION_TOKEN.fullmatch(submission) else None
        if self.object.pk is None and submission:
            already = Activity.objects.visible_to(request.user).filter(submission=submission).first()
            if already is not None:  # the same form posted twice (double tap, resubmitted page)
                messages.info(request, _("This activity was already saved; it was not saved twice."))
                return redirect(already)
        before = audit.snapshot(Activity.objects.get(pk=self.object.pk)) if self.object.pk else None
        form, attendance = self.forms(request.POST, request.FILES)
        if not (form.is_valid() & attendance.is_valid()):
            return self.render(form, attendance)
        activity = form.save(commit=False)
        if activity.pk is None:
            activity.submission = submission
        with transaction.atomic():  # the version claim holds the row until the save is committed
            if not form.claim_version():
                return self.render(form, attendance)
            try:
                actions.save_activity(
                    activity,
                    attendance=attendance.statuses(),
                    photos=form.cleaned_data["photos"],
                    remove_photos=request.POST.getlist("remove_photo"),
                    by=request.user,
                    before=before,
                )
            except IntegrityError:  # a concurrent double submit won the race for the same submission token
                existing = Activity.objects.filter(submission=submission).first()
                if existing is None:
                    raise
                messages.info(request, _("This activity was already saved; it was not saved twice."))
                return redirect(existing)
        messages.success(request, _("Saved “%(object)s”.") % {"object": activity})
        return redirect(activity)


class RosterView(View):
    """The attendance list for the organization chosen in the activity form (htmx)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = RosterQueryForm(request.GET, user=request.user)
        if not query.is_valid():  # no organization, one the user may not record for, or no id at all
            raise Http404
        organization, activity = query.cleaned_data["organization"], query.cleaned_data["activity"]
        attendance = AttendanceForm(user=request.user, organization=organization, activity=activity)
        context = {"attendance": attendance, "statuses": AttendanceStatus.choices}
        return render(request, "activities/includes/roster.html", context)


class ActivityPhotoView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        photo = get_object_or_404(
            ActivityPhoto.objects.filter(activity__in=Activity.objects.visible_to(request.user)), pk=pk
        )
        return uploads.serve(photo.image, f"activity-{photo.activity_id}-{photo.pk}")


class LifeWarningListView(ScopedListView):
    """Members at 3, 5 and 6+ months without organizational life, county-wide and per organization."""

    model = Member
    filterset_class = LifeWarningFilter
    table_class = LifeWarningTable
    select_related = ("home_branch", "flowing_org")
    page_title = gettext_lazy("Six-month rule warnings")
    template_name = "activities/life_warning_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().life_warnings()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.htmx and not self.request.htmx.boosted:
            return context
        members = Member.objects.visible_to(self.request.user)
        counts = members.life_warning_counts()
        context["levels"] = [
            (months, LIFE_LEVEL_LABELS[months], counts[months], LIFE_NEXT_STEPS[months])
            for months in LIFE_WARNING_MONTHS
        ]
        # Per organization: the one that answers for the member now (the flowing one while away), one query.
        per_org = (
            members.life_warnings()
            .with_responsible()
            .order_by()
            .values("responsible")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        rows = list(per_org)
        names = dict(Organization.objects.filter(pk__in=[row["responsible"] for row in rows]).values_list("pk", "name"))
        context["per_org"] = [(row["responsible"], names.get(row["responsible"], ""), row["n"]) for row in rows]
        if has_right(self.request.user, Right.KEEP_DUES):  # the rule's second half: six months without paying dues
            form = self.filterset.form
            organization = form.cleaned_data.get("organization") if form.is_valid() else None
            context["dues_arrears"] = six_month_section(self.request.user, organization)
        return context


class RedPackageListView(ScopedListView):
    model = RedPackage
    filterset_class = RedPackageFilter
    table_class = RedPackageTable
    select_related = ("member", "organization")
    page_title = gettext_lazy("Red packages")


class RedPackageChooseMemberView(RoleRequiredMixin, PageTitleMixin, View):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    """First step of a new red package: find the member it is for."""

    page_title = gettext_lazy("New red package: whom is it for?")

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "activities/redpackage_choose.html", {"page_title": self.get_page_title()})


class RedPackageCreateView(RoleRequiredMixin, AuditedCreateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = RedPackage
    form_class = RedPackageForm
    template_name = "activities/redpackage_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.member = get_object_or_404(
            Member.objects.visible_to(request.user).filter(standing=Standing.NORMAL), pk=kwargs["member_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> Any:
        return _("Red package for %(member)s") % {"member": self.member}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = RedPackage(member=self.member)
        return kwargs

    def get_success_url(self) -> str:
        return self.member.get_absolute_url()


class RedPackageUpdateView(RoleRequiredMixin, AuditedUpdateView):
    required_right = Right.KEEP_MEMBER_RECORDS  # our side's records: a destination partner gets 403
    model = RedPackage
    form_class = RedPackageForm
    template_name = "activities/redpackage_form.html"

    def get_success_url(self) -> str:
        return self.object.member.get_absolute_url()
