"""Run by tests/test_adding_a_domain.py with the toy's settings: the toy domain's page, ledger, reminder and demo."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from lanshan_party import notifications
from lanshan_party.models import Notification
from tests.conftest import login

pytestmark = pytest.mark.skipif(
    "tests.toy" not in settings.INSTALLED_APPS, reason="runs with the toy domain's settings (tests/toy/settings.py)"
)


@pytest.fixture
def visits(county):
    from tests.toy.models import Visit

    Visit.objects.create(organization=county.huaguo, family="袁家", visited_on=datetime.date(2026, 3, 1))
    Visit.objects.create(organization=county.zongshicun, family="马家", visited_on=datetime.date(2026, 3, 2))


def test_the_toy_domain_gets_a_scoped_list_page(county, visits):
    html = login(county.branch).get(reverse("toy:visit_list")).content.decode()

    assert "袁家" in html and "马家" not in html
    assert "马家" in login(county.admin).get(reverse("toy:visit_list")).content.decode()


def test_the_toy_domain_gets_a_ledger_exported_from_its_page(county, visits):
    response = login(county.branch).post(reverse("toy:visit_list"), {"format": "xlsx"})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "走访台账" in rows[0][0]
    assert rows[1] == ["序号", "走访日期", "走访对象", "党组织"]
    assert [row[2] for row in rows[2:]] == ["袁家"]


def test_the_toy_domain_gets_a_reminder_swept_with_the_others(county, visits):
    written = notifications.sweep_all(datetime.date(2026, 3, 5))

    assert written["toy_visits"] >= 1
    assert Notification.objects.filter(recipient=county.branch, subject="1 home visits recorded").exists()


def test_the_toy_domain_gets_demo_rows_from_load_demo(db):
    from tests.toy.models import Visit

    call_command("load_demo", allow_production=True, members=30, verbosity=0)

    assert Visit.objects.count() == 5
    call_command("load_demo", allow_production=True, members=30, reset=True, verbosity=0)
    assert Visit.objects.count() == 5  # cleared with the rest, and built again
