"""Hostile query parameters and path ids never get a 500 from the API: every list and every detail address, with a
valid token, each parameter replaced by the hostile words of tests/test_fuzz.py (hypothesis, derandomized,
bounded). A 200, 400, 404 or 422 are all fine; the error answers are JSON with a message."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.api.conftest import api_get
from tests.test_fuzz import HOSTILE_WORDS

LISTS = {
    "api:v1:member_list": ["limit", "cursor", "organization", "updated_since", "standing"],
    "api:v1:outflow_list": ["limit", "cursor", "organization", "status", "departed_since"],
    "api:v1:organization_list": ["limit", "cursor", "organization", "kind", "active"],
    "api:v1:activity_list": ["limit", "cursor", "organization", "updated_since", "type", "date_from"],
    "api:v1:campaign_list": ["limit", "cursor", "status", "updated_since"],
}
DETAILS = ["members", "outflows", "organizations", "activities", "census-campaigns"]
BOUNDED = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _fine(response) -> bool:
    if response.status_code >= 500:
        return False
    if response.status_code != 200:
        return bool(response.json()["detail"])
    return True


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_a_list_answers_hostile_parameters_without_a_server_error(world, settings, url_name):
    settings.API_RATE_LIMIT = 0
    parameters = LISTS[url_name]
    words = st.sampled_from(HOSTILE_WORDS) | st.text(max_size=20)

    @BOUNDED
    @given(query=st.dictionaries(st.sampled_from([*parameters, "extra"]), words, min_size=1))
    def run(query):
        response = api_get(world.tokens["branch"], reverse(url_name), query)
        assert _fine(response), (query, response.status_code, response.content[:200])

    run()


@pytest.mark.parametrize("resource", DETAILS)
def test_a_detail_answers_a_hostile_id_without_a_server_error(world, settings, resource):
    settings.API_RATE_LIMIT = 0

    @BOUNDED
    @given(word=st.sampled_from(HOSTILE_WORDS))
    def run(word):
        from urllib.parse import quote

        response = api_get(world.tokens["admin"], f"/api/v1/{resource}/{quote(word, safe='')}")
        assert response.status_code < 500 and (response.status_code == 404 or _fine(response)), word

    run()
