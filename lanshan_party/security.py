"""Response headers that protect every page (Content-Security-Policy, no caching of personal data) and sign-in lockouts."""

from collections.abc import Callable

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.models import AuditAction, User

# Everything the pages use is served from our own origin (no CDN): scripts only from static files, never inline, so
# an injected <script> or onclick= does nothing; style sheets only from static files too. Style *attributes* are
# allowed (style-src-attr) because ECharts draws its SVG charts and tooltips with them; our templates use none
# (tests/test_hardening.py checks), and an attribute can restyle an element but neither run code nor read the page.
# Charts and Bootstrap's form icons are data: images; a chart saved as a picture is a blob:.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy to HTML responses, and `Cache-Control: no-store` to every response for a
    signed-in user (member lists, census tasks, exports: nothing personal stays in a browser or proxy cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


# ---------------------------------------------------------------- sign-in lockouts (django-axes)


def locked_out_usernames() -> set[str]:
    """Usernames django-axes refuses now: as many failures as the limit, the last within the cool-off time."""
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(attempts.exclude(username=None).values_list("username", flat=True))


@transaction.atomic
def do_unlock(user: User, *, by: User) -> int:
    """Lift the user's sign-in lockout (from every address) and audit it; returns the failure records removed."""
    failures = sum(AccessAttempt.objects.filter(username=user.username).values_list("failures_since_start", flat=True))
    removed = axes_reset(username=user.username)
    audit.record(
        AuditAction.WORKFLOW,
        actor=by,
        obj=user,
        note=_("Sign-in lockout lifted (%(failures)d failed sign-ins forgiven)") % {"failures": failures},
    )
    return removed
