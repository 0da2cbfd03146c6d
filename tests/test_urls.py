"""Every page needs a signed-in user: an anonymous visitor is sent to the login page.

The walk covers every pattern in the URLconf, through every include (the admin's too), so a page
added later without the middleware's protection fails here. The few pages that must stay open are
listed in ALLOWLIST, and a second test proves each entry still names a real URL.
"""

import datetime
import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from members.models import Member
from tests.conftest import login
from tests.factories import make_id_number

# URL names an anonymous visitor may open. Nothing else.
ALLOWLIST = {
    "login",  # the application's login page
    "admin:login",  # the Django admin's own login page
    "healthz",  # monitoring: database, broker and sweep age, no data
    # The member's own pages (lanshan_party.middleware.PUBLIC_URL_NAMES): a personal link opens one member's own page
    # only with its token and the ID digits; 党员找组织 shows organizations and stations by city, no member's data.
    "selfservice:link",
    "selfservice:link_done",
    "selfservice:find",
    "selfservice:find_done",
}

# Allowlisted pages whose address carries a secret (a personal link's token): the walk's sample value is no token, so
# they answer with their one not-found page, never the login page.
SECRET_IN_PATH = {"selfservice:link"}

# The read-only API (api.v1): its clients have no session, so its addresses need a token instead of a sign-in. An
# anonymous request gets 401 JSON there, never the login page (test below), and never a 200.
TOKEN_NAMESPACE = "api:v1:"

# Values for the parameters of each route: by parameter name first, else by converter.
SAMPLE_BY_NAME = {"event": "report"}
SAMPLE_BY_CONVERTER = {"int": "1", "slug": "report", "str": "1", "path": "1", "uuid": str(uuid.UUID(int=1))}
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_GROUP_START = re.compile(r"\(\?P<(?P<name>\w+)>")


def _fill_route(route: str) -> str:
    def sample(match: re.Match) -> str:
        return SAMPLE_BY_NAME.get(match["name"], SAMPLE_BY_CONVERTER[match["converter"] or "str"])

    return ROUTE_PARAMETER.sub(sample, route)


def _sample_for_regex_group(body: str) -> str:
    """A value the group's regex accepts: "1" or "report" where they fit, else the first alternative."""
    for candidate in ("1", "report"):
        if re.fullmatch(body, candidate):
            return candidate
    first = body.split("|")[0]
    assert re.fullmatch(r"\w+", first) and re.fullmatch(body, first), f"no sample value for the regex group {body!r}"
    return first


def _fill_regex(regex: str) -> str:
    regex = regex.removeprefix("^").removesuffix("$").removeprefix(r"\A").removesuffix(r"\Z")
    while match := REGEX_GROUP_START.search(regex):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(regex[end], 0)
            end += 1
        body = regex[match.end() : end - 1]
        regex = regex[: match.start()] + _sample_for_regex_group(body) + regex[end:]
    assert not re.search(r"[()\[\]*+?\\^$]", regex), f"unfilled regex syntax left in {regex!r}"
    return regex


def _fill(pattern: RoutePattern | RegexPattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern))
    return _fill_regex(pattern.regex.pattern)


def _walk(
    resolver: URLResolver, prefix: str = "/", namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[str, str | None, URLPattern]]:
    """(concrete path, full URL name or None, pattern) for every pattern, through every include."""
    for entry in resolver.url_patterns:
        path = prefix + _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, path, inner)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield path, name, entry


def _all_urls() -> list[tuple[str, str | None, URLPattern]]:
    return list(_walk(get_resolver()))


def _describe(path: str, name: str | None) -> str:
    return f"{name or '(unnamed)'} {path}"


def test_the_walk_reaches_every_part_of_the_urlconf():
    names = {name for _path, name, _pattern in _all_urls()}
    for expected in (
        "home",
        "login",
        "accounts:audit_log",
        "accounts:user_unlock",
        "members:outflow_transition",
        "organizations:station_update",
    ):
        assert expected in names
    assert "admin:index" in names and "admin:members_member_change" in names and "admin:app_list" in names


def test_every_filled_in_path_resolves_to_the_pattern_it_was_made_from():
    for path, name, pattern in _all_urls():
        assert resolve(path).func is pattern.callback, f"{_describe(path, name)} resolves to another view"


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page_from_every_url_but_the_allowlisted_ones():
    login_url, admin_login_url = reverse("login"), reverse("admin:login")
    client = Client()
    checked, failures = 0, []
    for path, name, _pattern in _all_urls():
        if name in ALLOWLIST or (name or "").startswith(TOKEN_NAMESPACE):
            continue
        response = client.get(path)
        # The admin site's own views send visitors to the admin login; its model pages (which Django 5.2's
        # LoginRequiredMiddleware sees without a login_url) to the application's login. Both are login pages.
        login_pages = (admin_login_url, login_url) if path.startswith(reverse("admin:index")) else (login_url,)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.startswith(login_pages):
            failures.append(f"{_describe(path, name)} → {response.status_code} {location!r}")
            continue
        next_values = parse_qs(urlsplit(location).query).get("next")
        if next_values != [path]:
            failures.append(f"{_describe(path, name)} → login without next={path}: {location!r}")
        checked += 1
    assert not failures, "Anonymous GETs not sent to the login page:\n" + "\n".join(failures)
    assert checked > 40  # the whole URLconf, admin included, not a handful


@pytest.mark.django_db
def test_an_anonymous_request_to_every_api_url_is_refused_with_401_json_instead_of_the_login_page():
    client = Client()
    api_urls = [(path, name) for path, name, _pattern in _all_urls() if (name or "").startswith(TOKEN_NAMESPACE)]
    failures = []
    for path, name in api_urls:
        response = client.get(path)
        if response.status_code != 401 or not response["Content-Type"].startswith("application/json"):
            failures.append(f"{_describe(path, name)} → {response.status_code} {response['Content-Type']}")
        elif not response.json().get("detail") or "Location" in response.headers:
            failures.append(f"{_describe(path, name)} → 401 without a message, or with a redirect")
    assert not failures, "Anonymous API requests not refused with 401:\n" + "\n".join(failures)
    assert len(api_urls) >= 12  # every list, every detail, the OpenAPI document and its docs page


@pytest.mark.django_db
def test_every_allowlisted_url_name_exists_and_its_page_really_is_open_to_anonymous_visitors():
    walked = {name: path for path, name, _pattern in _all_urls() if name}
    for name in sorted(ALLOWLIST):
        assert name in walked, f"allowlist entry {name!r} is not a URL in the URLconf any more"
        if name in SECRET_IN_PATH:
            assert Client().get(walked[name]).status_code == 404, f"{name} answers a made-up token with a page"
            continue
        assert reverse(name) == walked[name]
        assert Client().get(walked[name]).status_code == 200, f"{name} is allowlisted but not open"


def test_every_page_the_login_middleware_lets_through_by_name_is_on_the_allowlist():
    from lanshan_party.middleware import PUBLIC_URL_NAMES

    assert PUBLIC_URL_NAMES <= ALLOWLIST


def _new_member_form(county) -> dict:
    return {
        "name": "匿名测试",
        "id_number": make_id_number(1, datetime.date(1990, 1, 1)),
        "ethnicity": "汉族",
        "category": "full",
        "standing": "normal",
        "home_branch": county.huaguo.pk,
    }


def test_an_anonymous_post_to_the_member_create_page_redirects_to_login_and_creates_nothing(county):
    before = Member.objects.count()
    response = Client().post(reverse("members:member_create"), _new_member_form(county))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))
    assert Member.objects.count() == before
    assert not Member.objects.filter(name="匿名测试").exists()


def test_the_same_member_create_post_by_an_administrator_does_create_the_member(county):
    """Proves the form data above is valid, so the anonymous test cannot pass for the wrong reason."""
    response = login(county.admin).post(reverse("members:member_create"), _new_member_form(county))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert Member.objects.filter(name="匿名测试").exists()


@pytest.mark.django_db
def test_the_admin_index_sends_an_anonymous_visitor_to_the_admin_login():
    response = Client().get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))
