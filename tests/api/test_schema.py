"""The OpenAPI document at /api/v1/openapi.json describes what the API answers, checked by schemathesis against the
application itself; the docs page works offline (its Swagger UI comes from our own static files, under our CSP)."""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lanshan_party.security import CONTENT_SECURITY_POLICY
from tests.api.conftest import api_get
from tests.conftest import login

OPENAPI = "/api/v1/openapi.json"


def test_the_openapi_document_lists_every_get_endpoint_with_bearer_authentication(world):
    response = api_get(world.tokens["township"], OPENAPI)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {
        "/api/v1/members",
        "/api/v1/members/{member_id}",
        "/api/v1/outflows",
        "/api/v1/outflows/{outflow_id}",
        "/api/v1/organizations",
        "/api/v1/organizations/{organization_id}",
        "/api/v1/activities",
        "/api/v1/activities/{activity_id}",
        "/api/v1/census-campaigns",
        "/api/v1/census-campaigns/{campaign_id}",
    } == set(paths)
    assert all(set(operations) == {"get"} for operations in paths.values())  # read-only
    schemes = document["components"]["securitySchemes"]
    assert [scheme["scheme"] for scheme in schemes.values()] == ["bearer"]
    member = document["components"]["schemas"]["MemberOut"]["properties"]
    assert "id_number_masked" in member and "id_number" not in member and "phone" not in member


def test_the_docs_page_opens_for_a_signed_in_user_with_the_right_and_loads_nothing_from_elsewhere(world):
    response = login(world.township).get(reverse("api:v1:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith("/static/") for asset in assets), assets
    assert "//" not in "".join(assets) and "cdn" not in html.lower()
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among our static files"
    # No inline script the CSP would refuse: the only <script> without src is the JSON settings block.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    assert reverse("api:v1:openapi-json") in html


def test_the_docs_page_is_refused_to_a_signed_in_partner_and_to_anonymous_visitors(world):
    from django.test import Client

    assert login(world.partner).get(reverse("api:v1:openapi-view")).status_code == 403
    assert Client().get(reverse("api:v1:openapi-view")).status_code == 401
    assert Client().get(OPENAPI).status_code == 401


# Checks run on every generated request. positive_data_acceptance is left out on purpose: a cursor is opaque, so a
# string the schema allows but the API never gave out is rightly a 400 (documented as such).


@pytest.fixture
def connections_kept_open():
    """Schemathesis calls the WSGI application directly, whose request signals close the database connection a
    test holds inside its transaction (PostgreSQL then answers 500); Django's own test client keeps it open the
    same way, by leaving close_old_connections out while it runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_every_get_endpoint_answering_as_its_schema_says(world, settings, connections_kept_open):
    settings.API_RATE_LIMIT = 0  # a few hundred generated requests within a minute
    settings.ALLOWED_HOSTS = ["*"]
    token = world.tokens["admin"]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi(OPENAPI, get_wsgi_application(), headers=headers)
    excluded = [positive_data_acceptance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        assert operation.method.upper() == "GET"

        @hypothesis_settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        check()
