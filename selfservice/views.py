"""Pages: the member's own (a personal link, no account), the public "find your organization" page, and the
secretary's review queue with the send buttons of the member and campaign pages."""

import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.middleware import client_ip
from lanshan_party.personal_data import mask_id_number, mask_phone
from lanshan_party.rights import Right, has_right
from lanshan_party.views import PageTitleMixin, RoleRequiredMixin, ScopedListView, add_errors
from members.models import CensusCampaign, Member
from organizations.models import Organization, Station
from selfservice import actions
from selfservice.filters import PublicRequestFilter, SelfReportFilter
from selfservice.forms import (
    FORMS,
    DigitsForm,
    HandleRequestForm,
    RequestForm,
    ReviewForm,
    SendLinkForm,
    city_organizations,
)
from selfservice.models import MAX_FAILED_TRIES, PersonalLink, PublicRequest, Purpose, ReviewStatus, SelfReport
from selfservice.tables import PublicRequestTable, SelfReportTable
from selfservice.tokens import allow, hash_token

# How long the ID digits, once given, open the link's form in this browser.
VERIFIED_SECONDS = 30 * 60
# Every answer about a link that cannot be used takes at least this long, so a wrong, expired, revoked and locked
# link cannot be told apart by timing either.
NOT_VALID_SECONDS = 0.05


def _public(response: HttpResponse) -> HttpResponse:
    """No cache may keep a member's page, and the token in the address goes to no other site in a Referer. (Not
    "no-referrer": the browser would then send "Origin: null" with the form, which CSRF protection rightly refuses.)"""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def not_valid(request: HttpRequest, started: float) -> HttpResponse:
    """The one answer for a link that is unknown, expired, revoked, locked or spent: same status, same body."""
    time.sleep(max(0.0, NOT_VALID_SECONDS - (time.monotonic() - started)))
    return _public(render(request, "selfservice/link_invalid.html", status=404))


def too_many(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "selfservice/too_many.html", status=429))


def bare(form: Any) -> Any:
    """The form's fields only: the page has its own <form> and button."""
    form.helper.form_tag = False
    form.helper.inputs = []
    return form


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)


@method_decorator(never_cache, name="dispatch")
class LinkView(View):
    """A personal link: the ID digits first, then the one question of its purpose, then it is spent."""

    link: PersonalLink

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        started = time.monotonic()
        token = kwargs["token"]
        if not (allow("link-ip", client_ip(request) or "") and allow("link", hash_token(token))):
            return too_many(request)
        link = actions.find_link(token)
        if link is None:
            return not_valid(request, started)
        self.link = link
        self.started = started
        return _public(super().dispatch(request, *args, **kwargs))

    @property
    def session_key(self) -> str:
        return f"selfservice-link-{self.link.pk}"

    def verified(self) -> bool:
        at = self.request.session.get(self.session_key)
        return isinstance(at, float) and time.time() - at < VERIFIED_SECONDS

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        if self.verified():
            return self.answer_page(self.answer_form())
        return self.digits_page(DigitsForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if request.POST.get("step") == "answer":
            if not self.verified():
                return redirect(request.path)
            form = self.answer_form(request.POST)
            if not form.is_valid():
                return self.answer_page(form)
            try:
                actions.submit_report(self.link, ip=client_ip(request), **form.answers())
            except ValidationError:
                return not_valid(request, self.started)
            request.session.pop(self.session_key, None)
            return redirect("selfservice:link_done")
        form = DigitsForm(request.POST)
        if not form.is_valid():
            return self.digits_page(form)
        if actions.check_digits(self.link, form.cleaned_data["digits"]):
            request.session.cycle_key()
            request.session[self.session_key] = time.time()
            return redirect(request.path)
        self.link.refresh_from_db(fields=["failed_tries", "locked_at"])
        if self.link.locked_at is not None:
            return not_valid(request, self.started)
        form.add_error(
            "digits",
            _("These are not the last 4 characters of your ID number. %(left)d tries left before the link locks.")
            % {"left": MAX_FAILED_TRIES - self.link.failed_tries},
        )
        return self.digits_page(form)

    def digits_page(self, form: DigitsForm) -> HttpResponse:
        return render(self.request, "selfservice/link_digits.html", {"form": bare(form), "link": self.link})

    def answer_form(self, data: Any = None) -> Any:
        form_class = FORMS[self.link.purpose]
        initial: dict[str, Any] = {}
        outflow = self.link.member.current_outflow
        if form_class is FORMS[Purpose.WHEREABOUTS] and outflow is not None:
            initial = {k: getattr(outflow, k) for k in ("province", "city", "district", "employer")}
        return bare(form_class(data, initial=initial))

    def answer_page(self, form: Any) -> HttpResponse:
        member = self.link.member
        outflow = member.current_outflow
        context = {
            "form": form,
            "link": self.link,
            "masked_name": mask_name(member.name),
            "masked_id": mask_id_number(member.id_number),
            "masked_phone": mask_phone(member.phone),
            "destination": outflow.destination if outflow is not None else "",
            "employer": outflow.employer if outflow is not None else "",
        }
        return render(self.request, "selfservice/link_answer.html", context)


@method_decorator(never_cache, name="dispatch")
class LinkDoneView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _public(render(request, "selfservice/link_done.html"))


class FindView(View):
    """党员找组织: the flowing organizations and stations of a city, with a contact, and a request to be contacted."""

    def cities(self) -> list[tuple[str, str]]:
        rows = (
            Organization.objects.flowing()
            .active()
            .exclude(city="")
            .order_by("province", "city")
            .values_list("province", "city")
            .distinct()
        )
        return list(rows)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not allow("find-ip", client_ip(request) or ""):
            return too_many(request)
        city = request.GET.get("city", "")
        return self.page(city, RequestForm(organizations=city_organizations(city)) if city else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not allow("request-ip", client_ip(request) or ""):
            return too_many(request)
        city = request.POST.get("city", "")
        form = RequestForm(request.POST, organizations=city_organizations(city))
        if form.is_valid():
            try:
                actions.leave_request(
                    form.cleaned_data["organization"], ip=client_ip(request), **form.fields_for_request()
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("selfservice:find_done")
        return self.page(city, form)

    def page(self, city: str, form: RequestForm | None) -> HttpResponse:
        cities = self.cities()
        known = {name for _province, name in cities}
        city = city if city in known else ""
        organizations = list(
            city_organizations(city).select_related("secretary", "office_phone")
            if city
            else Organization.objects.none()
        )
        stations = Station.objects.filter(organization__in=organizations).select_related("organization")
        for org in organizations:
            org.contact_name = org.secretary_name or (org.secretary.name if org.secretary_id else "")
            org.published_phone = getattr(getattr(org, "office_phone", None), "phone", "")
        if form is not None:
            bare(form)
        context = {"cities": cities, "city": city, "organizations": organizations, "stations": stations, "form": form}
        return render(self.request, "selfservice/find.html", context)


class FindDoneView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "selfservice/find_done.html")


# ------------------------------------------------------------------------------------------- the secretaries' side


class ReviewerMixin:
    """The review queue is for those who keep our members' records; anyone else finds no such page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_right(request.user, Right.KEEP_MEMBER_RECORDS):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ReportListView(ReviewerMixin, ScopedListView):
    model = SelfReport
    filterset_class = SelfReportFilter
    table_class = SelfReportTable
    select_related = ("member", "organization")
    page_title = gettext_lazy("Self-reports to review")


class ReportReviewView(ReviewerMixin, PageTitleMixin, View):
    request: AuthenticatedHttpRequest
    page_title = gettext_lazy("Review a self-report")

    def get_report(self, pk: int) -> SelfReport:
        reports = SelfReport.objects.visible_to(self.request.user).select_related(
            "member__current_outflow", "organization", "reviewed_by", "link"
        )
        return get_object_or_404(reports, pk=pk)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        report = self.get_report(pk)
        return self.page(report, ReviewForm(instance=report))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        report = self.get_report(pk)
        form = ReviewForm(request.POST, instance=report)
        if form.is_valid():
            try:
                done = actions.review_report(
                    report,
                    by=request.user,
                    decision=request.POST.get("decision", ""),
                    values=form.values(),
                    note=form.cleaned_data["review_note"],
                )
            except ValidationError as error:
                add_errors(form, error)
                report.refresh_from_db()
            else:
                messages.success(
                    request, _("%(report)s: %(status)s.") % {"report": done, "status": done.get_status_display()}
                )
                return redirect(reverse("selfservice:report_list") + "?status=pending")
        return self.page(report, form)

    def page(self, report: SelfReport, form: ReviewForm) -> HttpResponse:
        context = {
            "page_title": self.page_title,
            "report": report,
            "form": form,
            "pending": report.status == ReviewStatus.PENDING,
        }
        return render(self.request, "selfservice/report_review.html", context)


class RequestListView(ReviewerMixin, ScopedListView):
    model = PublicRequest
    filterset_class = PublicRequestFilter
    table_class = PublicRequestTable
    select_related = ("organization",)
    page_title = gettext_lazy("Requests to be contacted")


class RequestHandleView(ReviewerMixin, View):
    request: AuthenticatedHttpRequest

    def get_request(self, pk: int) -> PublicRequest:
        return get_object_or_404(
            PublicRequest.objects.visible_to(self.request.user).select_related("organization"), pk=pk
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.page(self.get_request(pk), HandleRequestForm())

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = self.get_request(pk)
        form = HandleRequestForm(request.POST)
        if form.is_valid():
            try:
                actions.handle_request(
                    item, by=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Recorded: %(request)s.") % {"request": item})
                return redirect(reverse("selfservice:request_list") + "?status=pending")
        return self.page(item, form)

    def page(self, item: PublicRequest, form: HandleRequestForm) -> HttpResponse:
        context = {"page_title": _("Request to be contacted"), "item": item, "form": form}
        return render(self.request, "selfservice/request_handle.html", context)


class SendLinkView(ReviewerMixin, View):
    """The member page's button: a personal link by text message or e-mail."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
        form = SendLinkForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(member)
        try:
            link = actions.send_link(
                member,
                purpose=form.cleaned_data["purpose"],
                channel=form.cleaned_data["channel"],
                email=form.cleaned_data["email"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The link (%(purpose)s) is on its way to %(name)s, valid until %(day)s.")
                % {
                    "purpose": link.get_purpose_display(),
                    "name": member.name,
                    "day": timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
                },
            )
        return redirect(member)


class MemberLinksView(ReviewerMixin, View):
    """The member page's card loads the member's latest links and their answers from here."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
        links = list(PersonalLink.objects.visible_to(request.user).filter(member=member).select_related("report")[:5])
        answers = [getattr(link, "report", None) for link in links]
        pending = next((r for r in answers if r is not None and r.status == ReviewStatus.PENDING), None)
        return render(request, "selfservice/includes/member_links.html", {"links": links, "pending": pending})


class RevokeLinkView(ReviewerMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        link = get_object_or_404(PersonalLink.objects.visible_to(request.user).select_related("member"), pk=pk)
        actions.revoke_link(link, by=request.user)
        messages.success(request, _("The link is revoked: it opens nothing any more."))
        return redirect(link.member)


class CampaignLinksView(RoleRequiredMixin, View):
    """The campaign page's button: every covered member with a phone gets their census link, sent by a job."""

    required_right = Right.MANAGE_CAMPAIGNS

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(CensusCampaign.objects.visible_to(request.user), pk=pk)
        try:
            actions.queue_census_links(campaign, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The census links are being sent; the counts below follow."))
        return redirect(campaign)
