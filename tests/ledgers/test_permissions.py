"""Who may open which ledger page. The matrix is the specification, in the style of tests/test_permissions.py: one row
per page (and for a page about one export or import, whether it is the user's own or someone else's), one column per
role. Someone else's export or import does not exist for a user (404) unless they administer; a page a role lacks
altogether is 403."""

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import ExportJob, ExportStatus, ImportBatch, ImportStatus
from tests.conftest import login
from tests.test_permissions import PERSONA, ROLE_AS_WORDS, ROLES

OWN, OTHERS = "own", "someone_elses"

#                                                        admin county township secretary branch outsider partner
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("the_organization_ledger", ""):                     (200,  200,   200,     200,      200,   200,   200),
    ("exporting_the_member_list", ""):                   (200,  200,   200,     200,      200,   200,   200),
    ("exporting_the_organization_ledger", ""):           (200,  200,   200,     200,      200,   200,   200),
    ("exporting_the_activity_list", ""):                 (200,  200,   200,     200,      200,   200,   200),
    ("exporting_the_service_list", ""):                  (200,  200,   200,     200,      200,   200,   200),
    ("the_export_history", ""):                          (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_an_export", OWN):                      (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_an_export", OTHERS):                   (200,  404,   404,     404,      404,   404,   404),
    ("downloading_an_export", OWN):                      (200,  200,   200,     200,      200,   200,   200),
    ("downloading_an_export", OTHERS):                   (200,  404,   404,     404,      404,   404,   404),
    ("the_import_form", ""):                             (200,  200,   200,     200,      200,   200,   403),
    ("the_import_history", ""):                          (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_an_import", OWN):                      (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_an_import", OTHERS):                   (200,  404,   404,     404,      404,   404,   404),
    ("the_marked_workbook_of_an_import", OWN):           (200,  200,   200,     200,      200,   200,   200),
    ("the_marked_workbook_of_an_import", OTHERS):        (200,  404,   404,     404,      404,   404,   404),
    ("discarding_an_import", OWN):                       (302,  302,   302,     302,      302,   302,   302),
    ("discarding_an_import", OTHERS):                    (404,  404,   404,     404,      404,   404,   404),
    ("the_member_ledger_template", ""):                  (200,  200,   200,     200,      200,   200,   200),
    ("the_organization_ledger_template", ""):            (200,  200,   403,     403,      403,   403,   403),
}  # fmt: skip

PAGES: dict[str, tuple[str, str, Any]] = {
    # name: (method, URL name, what the URL is about)
    "the_organization_ledger": ("get", "organizations:organization_ledger", None),
    "exporting_the_member_list": ("post", "members:member_list", None),
    "exporting_the_organization_ledger": ("post", "organizations:organization_ledger", None),
    "exporting_the_activity_list": ("post", "activities:activity_list", None),
    "exporting_the_service_list": ("post", "services:servicecase_list", None),
    "the_export_history": ("get", "ledgers:export_list", None),
    "the_page_of_an_export": ("get", "ledgers:export_detail", "export"),
    "downloading_an_export": ("get", "ledgers:export_download", "export"),
    "the_import_form": ("get", "ledgers:import_create", None),
    "the_import_history": ("get", "ledgers:import_list", None),
    "the_page_of_an_import": ("get", "ledgers:import_detail", "import"),
    "the_marked_workbook_of_an_import": ("get", "ledgers:import_marked", "import"),
    "discarding_an_import": ("post", "ledgers:import_discard", "import"),
    "the_member_ledger_template": ("get", "ledgers:import_template", "members"),
    "the_organization_ledger_template": ("get", "ledgers:import_template", "organizations"),
}


def _cells() -> list[Any]:
    cells = []
    for (page, whose), statuses in EXPECTED.items():
        for role, status in zip(ROLES, statuses, strict=True):
            suffix = f"_{whose}" if whose else ""
            cells.append(
                pytest.param(role, page, whose, status, id=f"{ROLE_AS_WORDS[role]}_gets_{status}_for_{page}{suffix}")
            )
    return cells


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    """One finished export and one checked import (with its marked workbook) per persona."""
    county.exports, county.imports = {}, {}
    for user in county.users:
        job = ExportJob(
            user=user,
            ledger="members",
            source="/members/",
            status=ExportStatus.DONE,
            row_count=1,
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
        job.file.save("ledger.xlsx", ContentFile(b"PK\x03\x04 test"), save=False)
        job.save()
        batch = ImportBatch(user=user, ledger="members", original_name="台账.xlsx", status=ImportStatus.CHECKED)
        batch.marked_file.save("marked.xlsx", ContentFile(b"PK\x03\x04 test"), save=False)
        batch.save()
        county.exports[user.username], county.imports[user.username] = job, batch
    return county


def test_the_matrix_covers_every_page_and_role():
    assert {page for page, _whose in EXPECTED} == set(PAGES)
    assert all(len(statuses) == len(ROLES) for statuses in EXPECTED.values())


@pytest.mark.parametrize(("role", "page", "whose", "expected"), _cells())
def test_ledger_permission_matrix(world, role, page, whose, expected):
    user = getattr(world, PERSONA[role])
    method, url_name, about = PAGES[page]
    if about in ("export", "import"):
        other = "branch" if user.username == "outsider" else "outsider"
        owner = user.username if whose == OWN else other
        obj = (world.exports if about == "export" else world.imports)[owner]
        url = reverse(url_name, args=[obj.pk])
    elif about:
        url = reverse(url_name, args=[about])
    else:
        url = reverse(url_name)
    data = {"format": "xlsx"} if page.startswith("exporting") else {}

    response = getattr(login(user), method)(url, data)

    assert response.status_code == expected
    if page.startswith("exporting"):
        assert response["Content-Disposition"].startswith("attachment")
