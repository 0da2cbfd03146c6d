"""The register's filters (township, status with 'due their check', year of issue, number or name) and what the
printable register shows in the columns of the paper one."""

import datetime

import pytest
from django.urls import reverse

from certificates import actions
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")  # 2026-06-15


@pytest.fixture
def register(certified):
    """袁芳伟's certificate (塔峰, 2024) checked in 2026; 马云's (总市, 2025) never checked, so due its check."""
    actions.record_check(certified.cert_yuan, by=certified.admin, on=datetime.date(2026, 1, 10), note="年审合格")
    return certified


def _numbers(client, params: dict) -> set[str]:
    response = client.get(reverse("certificates:certificate_list"), params)
    assert response.status_code == 200
    return {row.record.number for row in response.context["table"].paginated_rows}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"yuan", "ma"}),
        ({"status": "due"}, {"ma"}),
        ({"status": "valid"}, {"yuan"}),
        ({"status": "handed_back"}, set()),
        ({"year": "2024"}, {"yuan"}),
        ({"q": "马云"}, {"ma"}),
        ({"q": "塔峰2024"}, {"yuan"}),
    ],
)
def test_the_register_filters_by_status_year_and_number_or_name(register, params, expected):
    numbers = {"yuan": register.cert_yuan.number, "ma": register.cert_ma.number}

    assert _numbers(login(register.admin), params) == {numbers[name] for name in expected}


def test_the_township_filter_lists_that_townships_certificates(register):
    assert _numbers(login(register.admin), {"township": register.zongshi.pk}) == {register.cert_ma.number}


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"status": "lost"}, {"township": "x"}, {"responsible": "999999"}, {"q": "\x00"}]
)
def test_a_nonsense_filter_value_is_no_error_page(register, params):
    client = login(register.admin)
    assert client.get(reverse("certificates:certificate_list"), params).status_code == 200
    assert client.get(reverse("certificates:certificate_print"), params).status_code == 200


def test_the_printable_register_has_the_paper_registers_columns_and_each_rows_checks(register, settings):
    response = login(register.admin).get(reverse("certificates:certificate_print"))
    page = response.content.decode()

    assert page.count("<th>") == 10
    row = page[page.index(f'data-number="{register.cert_yuan.number}"') :].split("</tr>")[0]
    for shown in ("袁芳伟", "花果村", "广东省广州市花都区", "2024-03-01", "2026-01-10"):
        assert shown in row, shown
    assert "certificates/register.css" in page
    css = (settings.BASE_DIR / "certificates/static/certificates/register.css").read_text()
    assert "size: A4 landscape" in css
