"""The client's real address, and the current request's at hand so the audit log can record it from any layer."""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

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
