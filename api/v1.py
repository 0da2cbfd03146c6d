"""The read-only API, version 1 (/api/v1/): django-ninja, token authentication, JSON errors in Chinese.

Its addresses are not behind the sign-in page: an API client has no session. LoginRequiredMiddleware lets them
through (each is marked login_not_required), and each answers 401 without a valid token instead — the operations
through TokenAuth, the OpenAPI document and its docs page through `token_or_signed_in` (a signed-in user with the
right may read the docs in the browser).
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from api import auth
from api.endpoints import router
from api.errors import describe_validation_errors
from api.pagination import BadQuery
from lanshan_party.rights import Right, has_right


def _json(detail: str, status: int, **extra: Any) -> JsonResponse:
    response = JsonResponse({"detail": detail, **extra}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def unauthorized() -> JsonResponse:
    response = _json(
        _(
            "A valid API token is needed: send the header “Authorization: Bearer <token>”. Make a token on the "
            "API tokens page; a revoked or expired token, or one of a disabled account, no longer works."
        ),
        401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def forbidden() -> JsonResponse:
    return _json(_("Your role does not include the API. Ask the county administrator if you need it."), 403)


def rate_limited(retry_after: int) -> JsonResponse:
    response = _json(
        _("Too many requests with this token: at most %(limit)d a minute. Try again in %(seconds)d seconds.")
        % {"limit": _limit(), "seconds": retry_after},
        429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _limit() -> int:
    from django.conf import settings

    return settings.API_RATE_LIMIT


def token_or_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document and docs page: for a valid token, or a signed-in user whose role has the API."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        value = auth.bearer_value(request)
        try:
            if value is not None:
                if auth.authenticate(request, value) is None:
                    return unauthorized()
            elif not request.user.is_authenticated:
                return unauthorized()
            elif not has_right(request.user, Right.USE_API):
                return forbidden()
        except auth.NoApiRight:
            return forbidden()
        except auth.RateLimited as limited:
            return rate_limited(limited.retry_after)
        return view(request, *args, **kwargs)

    return guarded


def _open_to_api_clients(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view as LoginRequiredMiddleware lets it through (no redirect to the sign-in page): it checks tokens."""

    def api_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    api_view.login_required = False  # type: ignore[attr-defined]  # what @login_not_required sets
    api_view.csrf_exempt = True  # type: ignore[attr-defined]  # GET only, and no cookies are read
    return api_view


class ReadOnlyAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            assert isinstance(pattern, URLPattern)
            callback = pattern.callback
            if isinstance(callback, partial):  # the OpenAPI document, the docs page, the root: not operations
                callback = token_or_signed_in(callback)
            pattern.callback = _open_to_api_clients(callback)
        return urls


api = ReadOnlyAPI(
    title="Lanshan flowing Party members: read-only API",
    version="1",
    description=(
        "Read-only access for the provincial platform: members (ID numbers and phones masked), outflows, "
        "organizations, activities and census campaigns, each within the token owner's scope. "
        "Authorization: Bearer <token>. Lists page by cursor: follow `next`."
    ),
    urls_namespace="api:v1",
    auth=auth.TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", router)


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return unauthorized()


@api.exception_handler(auth.NoApiRight)
def _on_no_right(request: HttpRequest, exc: Exception) -> HttpResponse:
    return forbidden()


@api.exception_handler(auth.RateLimited)
def _on_rate_limited(request: HttpRequest, exc: auth.RateLimited) -> HttpResponse:
    return rate_limited(exc.retry_after)


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail, errors = describe_validation_errors(exc.errors)
    return _json(detail, 422, errors=errors)


@api.exception_handler(BadQuery)
def _on_bad_query(request: HttpRequest, exc: BadQuery) -> HttpResponse:
    return _json(str(exc), 400)


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc.args[0]) if exc.args and isinstance(exc.args[0], str) and exc.args[0] else ""
    return _json(message or _("Not found among the records you may see. Check the id."), 404)
