"""Hardening: pages that render without logging errors, password rules, security headers on responses."""

import logging

import pytest
from django.urls import reverse

from tests.conftest import login


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
