"""The signed copies (扫描件) of dual-management agreements: uploading, replacing and serving them.

The Huadu agreement covers the Huadu flowing organization, so it is inside the subtree of the county-level
roles and of the Huadu secretary; the Kunming agreement is inside only for the county-level roles. The
township (塔峰镇), branch (花果村) and outsider (总市村) have no flowing organization and see no agreement.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import AuditAction, AuditEntry
from organizations.models import Agreement
from tests.conftest import login
from tests.organizations.factories_agreements import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    agreement_data,
    download,
    edit_data,
    stored_files,
    upload,
)


def test_editing_without_a_new_file_keeps_the_signed_copy_and_is_audited(world):
    agreement = world.huadu_agreement
    old_name = agreement.scan.name
    url = reverse("organizations:agreement_update", args=[agreement.pk])
    response = login(world.admin).post(url, edit_data(world, agreement, note="续签谈判中"))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.scan.name == old_name and agreement.note == "续签谈判中"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(agreement.pk))
    assert entry.changes == {"note": ["", "续签谈判中"]}


def test_uploading_a_new_file_replaces_the_signed_copy(world):
    agreement = world.huadu_agreement
    old_name = agreement.scan.name
    url = reverse("organizations:agreement_update", args=[agreement.pk])
    data = edit_data(world, agreement, scan=upload("新扫描件.jpg", JPEG, "image/jpeg"))
    response = login(world.admin).post(url, data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.scan.name != old_name and agreement.scan.name.endswith(".jpg")
    served = download(world.secretary, agreement)
    assert served["Content-Type"] == "image/jpeg"
    assert served.body == JPEG
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(agreement.pk))
    assert entry.changes["scan"] == [old_name, agreement.scan.name]


def test_the_edit_form_links_the_current_signed_copy_through_the_download_page_not_the_media_folder(world):
    agreement = world.huadu_agreement
    html = login(world.admin).get(reverse("organizations:agreement_update", args=[agreement.pk])).content.decode()
    assert f'href="{agreement.get_scan_url()}"' in html
    assert settings.MEDIA_URL not in html and agreement.scan.name not in html


def test_ticking_the_clear_box_removes_the_signed_copy(world):
    agreement = world.huadu_agreement
    url = reverse("organizations:agreement_update", args=[agreement.pk])
    response = login(world.admin).post(url, edit_data(world, agreement, **{"scan-clear": "on"}))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert not agreement.scan
    assert download(world.admin, agreement).status_code == 404


def test_an_edit_on_a_stale_version_is_refused(world):
    agreement = world.huadu_agreement
    data = edit_data(world, agreement, note="我的修改")
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=5))
    response = login(world.admin).post(reverse("organizations:agreement_update", args=[agreement.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    agreement.refresh_from_db()
    assert agreement.note == ""


# ---------------------------------------------------------------------------------------------------
# Uploaded files: checked by what they are, not by their names.


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        pytest.param("协议.txt", TEXT, "wrong_type", id="a_text_file"),
        pytest.param("协议.docx", DOCX, "wrong_type", id="a_word_document"),
        pytest.param("协议.pdf", TEXT, "wrong_type", id="a_text_file_named_pdf"),
        pytest.param("协议.pdf", PNG, "misleading_extension", id="a_png_image_named_pdf"),
        pytest.param("协议.jpg", PDF, "misleading_extension", id="a_pdf_named_jpg"),
    ],
)
def test_a_file_that_is_not_a_scan_or_hides_what_it_is_is_refused_on_the_form_and_nothing_is_saved(
    world, name, content, code
):
    agreements_before, files_before = Agreement.objects.count(), stored_files()
    data = agreement_data(world, scan=upload(name, content))
    response = login(world.admin).post(reverse("organizations:agreement_create"), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["scan"]
    assert error.code == code
    assert name in error.message  # says which file …
    assert error.messages[0] in response.content.decode()  # … on the page, next to the field
    assert Agreement.objects.count() == agreements_before
    assert stored_files() == files_before


def test_a_file_bigger_than_the_limit_is_refused_and_nothing_is_saved(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    files_before = stored_files()
    data = agreement_data(world, scan=upload("协议.pdf", PDF + b"%" + b"0" * 2048))
    response = login(world.admin).post(reverse("organizations:agreement_create"), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["scan"]
    assert error.code == "too_big"
    assert "1.0" in error.messages[0]  # the limit, in words a user reads
    assert not Agreement.objects.filter(counterpart=data["counterpart"]).exists()
    assert stored_files() == files_before


def test_a_refused_file_on_the_edit_form_keeps_the_old_signed_copy(world):
    agreement = world.huadu_agreement
    old_name = agreement.scan.name
    url = reverse("organizations:agreement_update", args=[agreement.pk])
    response = login(world.admin).post(url, edit_data(world, agreement, scan=upload("扫描.pdf", PNG)))

    assert response.status_code == 200
    assert "scan" in response.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.scan.name == old_name


@pytest.mark.parametrize(
    ("name", "content", "content_type", "suffix"),
    [
        pytest.param("协议扫描件.PDF", PDF, "application/pdf", ".pdf", id="a_pdf"),
        pytest.param("协议照片.jpeg", JPEG, "image/jpeg", ".jpeg", id="a_jpeg_photograph"),
    ],
)
def test_a_real_pdf_or_jpeg_is_accepted_and_served_back_as_uploaded(world, name, content, content_type, suffix):
    data = agreement_data(world, scan=upload(name, content, content_type))
    response = login(world.admin).post(reverse("organizations:agreement_create"), data)

    assert response.status_code == 302, response.context["form"].errors
    agreement = Agreement.objects.get(counterpart=data["counterpart"])
    assert agreement.scan.name.endswith(suffix)
    served = download(world.secretary, agreement)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served.body == content


# ---------------------------------------------------------------------------------------------------
# The signed copy download.


def test_the_signed_copy_is_served_inline_as_a_pdf_to_a_user_who_sees_the_agreement(world):
    response = download(world.secretary, world.huadu_agreement)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.body == PDF


def test_the_signed_copy_is_a_404_for_another_secretary(world):
    assert download(world.kunming_secretary, world.huadu_agreement).status_code == 404


def test_an_agreement_without_a_signed_copy_gives_a_404(world):
    assert download(world.secretary, world.unscanned).status_code == 404
    assert download(world.admin, world.unscanned).status_code == 404


def test_an_agreement_whose_stored_file_went_missing_can_still_be_edited_and_its_download_is_a_404(world):
    agreement = world.huadu_agreement
    Path(agreement.scan.path).unlink()
    url = reverse("organizations:agreement_update", args=[agreement.pk])
    response = login(world.admin).post(url, edit_data(world, agreement, note="扫描件待补"))

    assert response.status_code == 302
    assert download(world.admin, agreement).status_code == 404
