"""Agreements and the uploaded files the agreement tests post: real file heads, wrong kinds, disguises."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organizations.demo import scan_pdf
from organizations.models import Agreement, AgreementStatus

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
