"""Agreements, the forms and uploaded files the agreement tests post (real file heads, wrong kinds, disguises), and
the signed copies they read back."""

import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lanshan_party.models import User
from organizations.demo import scan_pdf
from organizations.models import Agreement, AgreementStatus
from tests.conftest import login

PDF = scan_pdf("Test agreement scan")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"[Content_Types].xml" + b"\x00" * 200  # a .docx is a zip file
TEXT = "双向共管协议（文字稿，不是扫描件）\n".encode()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class AgreementFactory(factory.django.DjangoModelFactory):
    """In force for a year on either side of today, so neither expired nor expiring."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    counterpart = factory.Sequence(lambda n: f"中共测试市第{n}区委组织部")
    province = "广东省"
    city = "广州市"
    district = "花都区"
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=370))
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    valid_to = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    status = AgreementStatus.IN_FORCE
    scope = factory.LazyFunction(lambda: ["organizations", "members"])

    @factory.post_generation
    def covers(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.covered_organizations.set(extracted)


def agreement_data(world: SimpleNamespace, **changes: Any) -> dict[str, Any]:
    data = {
        "partner": "",
        "counterpart": "中共深圳市宝安区委组织部",
        "province": "广东省",
        "city": "深圳市",
        "district": "宝安区",
        "signed_on": "2025-06-20",
        "valid_from": "2025-07-01",
        "valid_to": "2028-06-30",
        "status": AgreementStatus.IN_FORCE,
        "scope": ["organizations", "members", "activities", "development"],
        "scope_text": "双方每季度互通一次流动党员名册。",
        "covered_organizations": [world.huadu.pk],
        "note": "",
    }
    return {**data, **changes}


def edit_data(world: SimpleNamespace, agreement: Agreement, **changes: Any) -> dict[str, Any]:
    """What the edit form posts back: the stored values, the version it was opened on, and `changes`."""
    agreement.refresh_from_db()
    data = agreement_data(
        world,
        counterpart=agreement.counterpart,
        province=agreement.province,
        city=agreement.city,
        district=agreement.district,
        signed_on=agreement.signed_on.isoformat(),
        valid_from=agreement.valid_from.isoformat(),
        valid_to=agreement.valid_to.isoformat(),
        status=agreement.status,
        scope=agreement.scope,
        scope_text=agreement.scope_text,
        note=agreement.note,
        covered_organizations=list(agreement.covered_organizations.values_list("pk", flat=True)),
        version=agreement.updated_at.isoformat(),
    )
    return {**data, **changes}


def download(user: User, agreement: Agreement) -> Any:
    """The signed-copy response, read to the end (as `.body`). The test client closes a streamed response once
    it is read to the end (and so the file under it); closing it by hand would also close the database
    connection, as at the end of a real request."""
    response = login(user).get(agreement.get_scan_url())
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
