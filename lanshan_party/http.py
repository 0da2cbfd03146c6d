"""The request type of the application's own pages, whose user is always signed in."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from lanshan_party.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose `user` is a signed-in User, not `User | AnonymousUser`: LoginRequiredMiddleware lets no
    anonymous request reach a view that is not marked login_not_required. An annotation only (the way django-stubs
    documents it); at run time the request is Django's own."""

    user: User
    htmx: HtmxDetails  # set on every request by django-htmx's HtmxMiddleware
