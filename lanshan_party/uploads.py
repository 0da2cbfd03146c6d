"""Uploaded files (agreement scans, activity photos): checked by content, stored under random names, served only through views that check scope."""

import datetime
import mimetypes
import uuid
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What a file really is, read from its first bytes; the name it was uploaded under is not trusted.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}
KIND_LABELS = {
    "pdf": gettext_lazy("PDF document"),
    "jpeg": gettext_lazy("JPEG image"),
    "png": gettext_lazy("PNG image"),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
SCAN_KINDS = ("pdf", "jpeg", "png")
IMAGE_KINDS = ("jpeg", "png")


def sniff(file: IO[bytes]) -> str | None:
    """The kind of file its first bytes say it is (one of SIGNATURES), or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


@deconstructible
class UploadValidator:
    """Refuses files that are too big, of a kind not allowed, or whose extension hides what they are."""

    def __init__(self, kinds: tuple[str, ...], max_bytes: int | None = None) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)

    @property
    def limit(self) -> int:
        return self.max_bytes or settings.UPLOAD_MAX_BYTES

    def allowed_labels(self) -> str:
        return "、".join(str(KIND_LABELS[kind]) for kind in self.kinds)

    def __call__(self, value: FieldFile) -> None:
        if getattr(value, "_committed", False):
            # Already stored: checked when it was uploaded. Checked before touching `.file`, which would
            # open the stored file on every save of the record (and fail if it went missing on disk).
            return
        file = getattr(value, "file", value)
        name = PurePath(getattr(value, "name", "") or "").name
        if value.size > self.limit:
            raise ValidationError(
                _("“%(name)s” is %(size)s, more than the %(limit)s allowed. Shrink or split it and upload again.")
                % {"name": name, "size": filesizeformat(value.size), "limit": filesizeformat(self.limit)},
                code="too_big",
            )
        kind = sniff(file)
        if kind not in self.kinds:
            raise ValidationError(
                _(
                    "“%(name)s” is not a %(allowed)s. Upload a %(allowed)s file (scan or photograph the paper if needed)."
                )
                % {"name": name, "allowed": self.allowed_labels()},
                code="wrong_type",
            )
        extension = PurePath(name).suffix.lower()
        if extension not in EXTENSIONS[kind]:
            raise ValidationError(
                _(
                    "“%(name)s” is really a %(kind)s but its name ends in “%(extension)s”. "
                    "Rename it to end in “%(expected)s” and upload again."
                )
                % {
                    "name": name,
                    "kind": KIND_LABELS[kind],
                    "extension": extension or "—",
                    "expected": EXTENSIONS[kind][0],
                },
                code="misleading_extension",
            )


@deconstructible
class RandomName:
    """Stores uploads as <folder>/<year>/<month>/<random>.<ext>: names users typed never reach the disk."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and self.folder == other.folder

    def __call__(self, instance: object, filename: str) -> str:
        today = datetime.date.today()  # noqa: DTZ011 - only a folder name
        return f"{self.folder}/{today:%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def serve(field_file: FieldFile, download_name: str, *, inline: bool = True) -> FileResponse:
    """Send a stored upload to a user the calling view has already checked. Missing on disk: 404."""
    name = field_file.name
    if not name:  # an empty file field (what `not field_file` tests)
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = PurePath(name).suffix.lower()
    content_type = mimetypes.types_map.get(suffix, "application/octet-stream")
    response = FileResponse(
        handle, as_attachment=not inline, filename=f"{download_name}{suffix}", content_type=content_type
    )
    # Even a file that slipped through as something else cannot run scripts on our origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
