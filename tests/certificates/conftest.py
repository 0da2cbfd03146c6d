"""Certificates of the test county: 袁芳伟 (花果村, 塔峰镇, away in Huadu) and 马云 (总市村, 总市镇, in Kunming)."""

import datetime
from types import SimpleNamespace

import pytest

from certificates import actions


@pytest.fixture
def certified(county: SimpleNamespace) -> SimpleNamespace:
    county.cert_yuan = actions.issue_certificate(
        county.yuan_outflow, by=county.township, issued_on=datetime.date(2024, 3, 1)
    )
    county.cert_ma = actions.issue_certificate(county.ma_outflow, by=county.admin, issued_on=datetime.date(2025, 2, 1))
    return county
