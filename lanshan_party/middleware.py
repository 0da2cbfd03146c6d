"""The client's real address, and the current request's at hand so the audit log can record it from any layer."""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, for the sign-in lockout and the audit log alike.

    Gunicorn leaves REMOTE_ADDR as the proxy's address. X-Forwarded-For is believed only when the request comes
    from one of TRUSTED_PROXIES, and then only its last entry (the one our own proxy wrote: anything before it is
    what the client claimed). Without BEHIND_PROXY the header is ignored altogether.
    """
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None or not settings.BEHIND_PROXY or remote not in settings.TRUSTED_PROXIES:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    # Walk back from our proxy: a chain of trusted proxies may stand in front of it.
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a malformed header is not believed at all
        if address not in settings.TRUSTED_PROXIES:
            return address
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


# Pages open to anonymous visitors besides the few views marked login_not_required (the login pages, /healthz): the
# member's own pages, reached by a personal link or the public "find your organization" page. Stated here by URL
# name, and nowhere else; tests/test_urls.py ALLOWLIST lists the same names and proves every other page needs a login.
PUBLIC_URL_NAMES = frozenset({"selfservice:link", "selfservice:link_done", "selfservice:find", "selfservice:find_done"})


class LoginRequiredMiddleware:
    """Django's LoginRequiredMiddleware, letting through the URL names in PUBLIC_URL_NAMES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

        self.inner = DjangoLoginRequired(get_response)

    def __call__(self, request: HttpRequest) -> Any:
        return self.inner(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: dict) -> Any:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in PUBLIC_URL_NAMES:
            return None
        return self.inner.process_view(request, view_func, view_args, view_kwargs)
