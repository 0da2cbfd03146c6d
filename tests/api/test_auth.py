"""A token opens the API for its user: a missing, wrong, revoked or expired token, or one of a disabled account, is a
401 in JSON; a role without the right a 403; more than API_RATE_LIMIT requests a minute a 429 with Retry-After."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from api import actions
from api.models import ApiToken, hash_token
from tests.api.conftest import api_get

MEMBERS = "api:v1:member_list"


def _is_401(response) -> bool:
    return (
        response.status_code == 401
        and response["Content-Type"].startswith("application/json")
        and bool(response.json()["detail"])
        and response["WWW-Authenticate"].startswith("Bearer")
    )


def test_a_request_without_a_token_is_a_401_in_json_not_the_login_page(world):
    response = api_get(None, reverse(MEMBERS))
    assert _is_401(response) and "Location" not in response.headers


@pytest.mark.parametrize(
    "header",
    ["Bearer lsp_not-a-token", "Bearer ", "Basic YWRtaW46cGFzcw==", "lsp_without_scheme", "Bearer " + "x" * 5000],
)
def test_a_wrong_or_malformed_authorization_header_is_a_401(world, header):
    assert _is_401(api_get(None, reverse(MEMBERS), HTTP_AUTHORIZATION=header))


def test_a_signed_in_session_without_a_token_does_not_open_the_data(world):
    from tests.conftest import login

    response = login(world.admin).get(reverse(MEMBERS))
    assert _is_401(response)


def test_a_valid_token_reads_and_the_stored_row_holds_only_its_hash(world):
    assert api_get(world.tokens["township"], reverse(MEMBERS)).status_code == 200
    token = ApiToken.objects.get(pk=world.township_token.pk)
    assert token.token_hash == hash_token(world.tokens["township"])
    assert world.tokens["township"] not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working_at_once(world):
    assert api_get(world.tokens["branch"], reverse(MEMBERS)).status_code == 200
    actions.revoke_token(world.branch_token, by=world.branch)
    assert _is_401(api_get(world.tokens["branch"], reverse(MEMBERS)))


def test_an_expired_token_stops_working(world):
    token, value = actions.create_token(world.branch, name="短期", valid_days=30)
    assert api_get(value, reverse(MEMBERS)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _is_401(api_get(value, reverse(MEMBERS)))


def test_the_token_of_a_disabled_account_stops_working(world):
    world.township.is_active = False
    world.township.save()
    assert _is_401(api_get(world.tokens["township"], reverse(MEMBERS)))


def test_a_token_of_a_role_without_the_api_right_is_a_403(world):
    response = api_get(world.tokens["partner"], reverse(MEMBERS))
    assert response.status_code == 403 and response.json()["detail"]


def test_the_sixty_first_request_in_a_minute_is_a_429_with_retry_after(world, settings):
    settings.API_RATE_LIMIT = 5
    statuses = [api_get(world.tokens["branch"], reverse(MEMBERS)).status_code for _ in range(5)]
    refused = api_get(world.tokens["branch"], reverse(MEMBERS))
    assert statuses == [200] * 5
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused.json()["detail"]
    # The limit is per token: another user's token still reads.
    assert api_get(world.tokens["township"], reverse(MEMBERS)).status_code == 200


def test_the_limit_counts_per_minute_window_and_opens_again_in_the_next(world, settings):
    import time_machine

    settings.API_RATE_LIMIT = 2
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, 10, tzinfo=datetime.UTC), tick=False) as clock:
        assert [api_get(world.tokens["branch"], reverse(MEMBERS)).status_code for _ in range(3)] == [200, 200, 429]
        clock.shift(datetime.timedelta(seconds=55))
        assert api_get(world.tokens["branch"], reverse(MEMBERS)).status_code == 200


def test_a_cache_that_is_down_lets_requests_through_and_logs_it(world, settings, caplog):
    settings.API_RATE_LIMIT = 1
    with mock.patch("api.auth.cache.incr", side_effect=ConnectionError("cache down")):
        statuses = [api_get(world.tokens["branch"], reverse(MEMBERS)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert "rate limit not checked" in caplog.text
