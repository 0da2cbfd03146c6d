"""Query and path parameters the API could not read, said in Chinese: which parameter, what is wrong, what to give."""

from typing import Any

from django.utils.translation import gettext as _


def _problem(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("give a whole number")
    if kind == "less_than_equal":
        return _("give at most %(limit)s") % {"limit": context.get("le")}
    if kind == "greater_than_equal":
        return _("give at least %(limit)s") % {"limit": context.get("ge")}
    if kind.startswith("datetime"):
        return _("give a date and time such as 2026-01-31T08:00:00+08:00")
    if kind.startswith("date"):
        return _("give a date such as 2026-01-31")
    if kind == "literal_error":
        return _("give one of: %(choices)s") % {"choices": context.get("expected", "")}
    if kind.startswith("bool"):
        return _("give true or false")
    if kind == "string_too_long":
        return _("give at most %(limit)s characters") % {"limit": context.get("max_length")}
    if kind == "missing":
        return _("it is required")
    return _("give a valid value")


def describe_validation_errors(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """(one message naming every bad parameter, [{parameter, message}]) from pydantic's errors."""
    described = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "filters")]
        name = location[-1] if location else "?"
        described.append(
            {"parameter": name, "message": _("“%(name)s”: %(problem)s") % {"name": name, "problem": _problem(error)}}
        )
    detail = _("The query is not valid, nothing was read: %(problems)s") % {
        "problems": "; ".join(item["message"] for item in described)
    }
    return detail, described
