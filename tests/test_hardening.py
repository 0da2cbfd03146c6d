"""Hardening: pages that render without logging errors, password rules, security headers on responses."""

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from lanshan_party.models import User
from lanshan_party.security import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware
from tests.conftest import login
from tests.factories import PASSWORD
from tests.test_accounts import new_user_data, update_user_data
from tests.test_permissions import PERSONA

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)

BLANK_PASSWORDS = [
    pytest.param(" " * 12, id="twelve_spaces"),
    pytest.param("\t" * 10, id="ten_tabs"),
    pytest.param(" \t \t    \u3000\u3000 ", id="spaces_tabs_and_ideographic_spaces"),
]


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("create", id="the_new_organization_form"),
        pytest.param("update", id="the_edit_form_of_an_organization"),
    ],
)
def test_the_organization_form_renders_without_logging_an_unresolved_field(county, caplog, page):
    url = (
        reverse("organizations:organization_create")
        if page == "create"
        else reverse("organizations:organization_update", args=[county.huaguo.pk])
    )
    with caplog.at_level(logging.DEBUG):
        response = login(county.admin).get(url)
    assert response.status_code == 200
    problems = [r for r in caplog.records if "Could not resolve form field" in r.getMessage() or r.exc_info]
    assert not problems, [r.getMessage() for r in problems]


# ---------------------------------------------------------------- passwords of only blanks


@pytest.mark.parametrize("blank", BLANK_PASSWORDS)
def test_the_password_rules_refuse_a_password_of_only_spaces_or_tabs_and_say_what_to_do(db, blank):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(blank)
    assert "不能只有空格" in " ".join(refused.value.messages)


def test_the_password_rules_still_accept_a_password_with_spaces_inside(db):
    password_validation.validate_password("兰山 flowing 2026 party")


@pytest.mark.parametrize("blank", BLANK_PASSWORDS)
def test_the_new_user_form_refuses_a_password_of_only_blanks(county, blank):
    response = login(county.admin).post(
        reverse("accounts:user_create"),
        new_user_data(organization=county.zongshi.pk, password1=blank, password2=blank),
    )
    assert response.status_code == 200
    assert "不能只有空格" in " ".join(response.context["form"].errors["password2"])
    assert not User.objects.filter(username="leixiaojun").exists()


def test_the_user_edit_form_refuses_a_new_password_of_only_blanks(county):
    response = login(county.admin).post(
        reverse("accounts:user_update", args=[county.branch.pk]), update_user_data(county.branch, new_password=" " * 10)
    )
    assert response.status_code == 200
    assert "不能只有空格" in " ".join(response.context["form"].errors["new_password"])
    county.branch.refresh_from_db()
    assert county.branch.check_password(PASSWORD)


def test_the_password_change_page_refuses_a_new_password_of_only_blanks(county):
    blank = "\t" * 4 + " " * 6
    response = login(county.branch).post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": blank, "new_password2": blank}
    )
    assert response.status_code == 200
    assert "不能只有空格" in " ".join(response.context["form"].errors["new_password2"])
    county.branch.refresh_from_db()
    assert county.branch.check_password(PASSWORD)


# ---------------------------------------------------------------- Content-Security-Policy


def csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in header.split("; ")}


def test_the_login_page_has_a_content_security_policy_without_inline_scripts(db):
    policy = csp(Client().get(reverse("login")))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"  # style sheets from static files only
    assert policy["style-src-attr"] == "'unsafe-inline'"  # ECharts styles its SVG and tooltips with attributes
    assert policy["img-src"].split() == ["'self'", "data:", "blob:"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"


@pytest.mark.parametrize(
    "url_name",
    ["home", "dashboard", "members:member_list", "organizations:organization_tree", "accounts:audit_log"],
)
def test_every_signed_in_html_page_has_the_content_security_policy(county, url_name):
    response = login(county.admin).get(reverse(url_name))
    assert response.status_code == 200
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


def test_error_pages_have_the_content_security_policy_too(county):
    response = login(county.branch).get(reverse("members:member_detail", args=[county.ma.pk]))
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


def test_no_template_has_inline_scripts_event_handlers_style_attributes_or_javascript_urls():
    """The policy would refuse them: behaviour and styles live in static/js and static/css."""
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        html = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, JAVASCRIPT_URL):
            offences += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(html)]
    assert not offences, "\n".join(offences)


def test_the_policy_goes_on_html_only_and_a_policy_a_view_set_itself_is_kept(rf):
    responses = {
        "text": HttpResponse("1", content_type="text/plain"),
        "html": HttpResponse("<p>1</p>"),
        "own": HttpResponse("<p>1</p>", headers={"Content-Security-Policy": "default-src 'none'"}),
    }
    request = rf.get("/")
    for name, response in responses.items():
        responses[name] = SecurityHeadersMiddleware(lambda _request, response=response: response)(request)
    assert "Content-Security-Policy" not in responses["text"].headers
    assert responses["html"].headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert responses["own"].headers["Content-Security-Policy"] == "default-src 'none'"


# ---------------------------------------------------------------- no caching of signed-in pages


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        pytest.param("branch", lambda c: reverse("members:member_list"), id="the_member_list"),
        pytest.param("branch", lambda c: reverse("members:member_detail", args=[c.yuan.pk]), id="a_member_page"),
        pytest.param("secretary", lambda c: reverse("members:censustask_list"), id="the_census_tasks"),
        pytest.param("admin", lambda c: reverse("accounts:audit_log"), id="the_audit_log"),
        pytest.param("admin", lambda c: reverse("home"), id="the_home_page"),
        pytest.param("township", lambda c: reverse("members:member_search") + "?q=袁", id="the_member_search"),
    ],
)
def test_pages_with_personal_data_are_never_stored_by_the_browser_or_a_proxy(county, persona, page):
    response = login(getattr(county, PERSONA[persona])).get(page(county))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_an_htmx_partial_of_a_list_is_not_stored_either(county):
    response = login(county.branch).get(reverse("members:member_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert response.headers["Cache-Control"] == "no-store"


def test_a_redirect_after_signing_in_is_not_stored(county):
    response = Client().post(reverse("login"), {"username": "branch", "password": PASSWORD})
    assert response.status_code == 302
    assert "no-store" in response.headers["Cache-Control"]  # Django's login view says so itself, and it is kept


def test_a_cache_control_a_view_set_itself_is_kept(rf, county):
    request = rf.get("/")
    request.user = county.branch
    response = SecurityHeadersMiddleware(lambda _request: HttpResponse(headers={"Cache-Control": "private"}))(request)
    assert response.headers["Cache-Control"] == "private"
