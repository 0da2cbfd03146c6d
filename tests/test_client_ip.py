"""Behind nginx every request comes from 127.0.0.1: the client's address is taken from the trusted proxy's header
only, for the sign-in lockout and the audit log alike, and a forged header changes nothing."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from lanshan_party.middleware import client_ip
from lanshan_party.models import AuditAction, AuditEntry
from tests.factories import PASSWORD

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = frozenset({PROXY, "::1"})


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_behind_the_proxy_the_client_is_the_address_the_proxy_wrote(behind_proxy):
    assert client_ip(request_from(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_a_forged_address_in_front_of_the_proxys_entry_is_ignored(behind_proxy):
    # A proxy that appends: the client claimed 203.0.113.9, the proxy saw 198.51.100.7.
    assert client_ip(request_from(PROXY, "203.0.113.9, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_hop(behind_proxy, settings):
    settings.TRUSTED_PROXIES = frozenset({PROXY, "10.0.0.5"})
    assert client_ip(request_from(PROXY, "203.0.113.9, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"


def test_the_header_of_a_client_that_is_not_a_trusted_proxy_is_ignored(behind_proxy):
    assert client_ip(request_from("198.51.100.20", "203.0.113.9")) == "198.51.100.20"


def test_without_a_proxy_the_header_is_never_believed(settings):
    settings.BEHIND_PROXY = False
    assert client_ip(request_from(PROXY, "203.0.113.9")) == PROXY


def test_a_malformed_header_falls_back_to_the_proxy_address(behind_proxy):
    assert client_ip(request_from(PROXY, "not-an-address")) == PROXY
    assert client_ip(request_from(PROXY, "")) == PROXY


def sign_in(client: Client, username: str, password: str, *, real_address: str):
    # What nginx sends: the connection comes from the proxy, X-Forwarded-For says who is behind it.
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"203.0.113.9, {real_address}",
    )


def test_failed_sign_ins_from_one_client_behind_the_proxy_do_not_lock_out_another(county, behind_proxy):
    for _attempt in range(6):
        sign_in(Client(), "county", "wrong-password", real_address="198.51.100.7")
    assert sign_in(Client(), "county", PASSWORD, real_address="198.51.100.7").status_code == 429

    other = Client()
    response = sign_in(other, "county", PASSWORD, real_address="198.51.100.8")

    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(county.county_staff.pk)


def test_the_audit_log_records_the_real_client_addresses_behind_the_proxy(county, behind_proxy):
    sign_in(Client(), "county", "wrong-password", real_address="198.51.100.7")
    sign_in(Client(), "county", PASSWORD, real_address="198.51.100.8")

    assert list(AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).values_list("ip", flat=True)) == [
        "198.51.100.7"
    ]
    assert AuditEntry.objects.get(action=AuditAction.LOGIN).ip == "198.51.100.8"
    assert not AuditEntry.objects.filter(ip__in=["203.0.113.9", PROXY]).exists()
