"""Cursor pagination: keyset on id. A page is `id > after ORDER BY id LIMIT n+1` on the primary key, so the 10,000th
page costs what the first does; the cursor is opaque (base64 of the last id seen) and the next page's whole link is
given."""

import base64
import binascii
import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from api.schemas import MAX_ID


class BadQuery(Exception):
    """A query parameter the API cannot use: 400 with this message."""


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        after = data["after"]
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError, KeyError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
        raise BadQuery(
            _(
                "The cursor “%(cursor)s” is not one this API gave out. Follow the “next” link of the previous page, or leave the cursor out to start from the first page."
            )
            % {"cursor": cursor[:40]}
        )
    return after


def paginate(
    request: HttpRequest, queryset: QuerySet, *, limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """(rows of this page, link to the next page or None)."""
    after = decode_cursor(cursor)
    if after:
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    params: QueryDict = request.GET.copy()
    params["cursor"] = encode_cursor(rows[-1].pk)
    return rows, request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
