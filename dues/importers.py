"""The payment ledger's importer: each row is a payment of a member (matched by citizen ID number among those the
importing user sees), checked and recorded by the same workflow as the payment form, so the same rules and the same
Chinese messages apply, at the column they are about. Each row is applied while checking (rolled back for the
preview), so a month paid on an earlier row of the same file is a double payment on a later one."""

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dues import actions
from dues.forms import parse_month
from dues.models import PaidBy
from lanshan_party.ledgers.importers import RowImporter
from lanshan_party.ledgers.imports import Preview, RowResult
from lanshan_party.ledgers.sheets import RawRow
from lanshan_party.personal_data import blind_index, mask_id_number, normalize_id_number
from members.models import Member

SEPARATORS = re.compile(r"[、，,；;\s]+")


class DuesPaymentImporter(RowImporter):
    writes_during_check = True

    def check(self, rows: list[RawRow]) -> Iterator[RowResult]:
        prepared = []
        for raw in rows:
            result = RowResult(raw.number)
            data, bad = self.inputs(raw, result)
            number = normalize_id_number(data.get("id_number", ""))
            prepared.append((result, data, bad, blind_index(number) if len(number) == 18 else ""))
        digests = {digest for *_rest, digest in prepared if digest}
        members = {
            member.id_number_hash: member
            for member in Member.objects.visible_to(self.user)
            .filter(id_number_hash__in=digests)
            .select_related("home_branch", "flowing_org", "current_outflow")
        }
        for result, data, bad, digest in prepared:
            self._check(result, data, bad, members.get(digest) if digest else None)
            yield result

    def _check(self, result: RowResult, data: dict[str, str], bad: set[str], member: Member | None) -> None:
        header = self.header_of
        if "id_number" in bad:
            return
        if member is None:
            result.fault(
                header["id_number"],
                _(
                    "No member with this ID number among the members you manage. Check the number, or leave the row "
                    "to the member's own branch."
                ),
            )
            return
        name = data.get("name", "").strip()
        if name and name != member.name:
            result.fault(
                header.get("name", ""),
                _("The member with this ID number is called %(name)s, not “%(given)s”. Check the row.")
                % {"name": member.name, "given": name},
            )
        months = []
        for text in SEPARATORS.split(data.get("months", "").strip()):
            if not text:
                continue
            month = parse_month(text)
            if month is None:
                result.fault(
                    header["months"], _("“%(text)s” is not a month. Write months as 2026-03.") % {"text": text}
                )
            else:
                months.append(month)
        if not months and "months" not in bad and not any(f.column == header["months"] for f in result.faults):
            result.fault(header["months"], _("Give the months this payment is for, as 2026-01、2026-02."))
        amount = None
        if "amount" not in bad:
            try:
                amount = Decimal(data.get("amount", "").strip()).quantize(Decimal("0.01"))
                if not amount.is_finite() or amount <= 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                result.fault(header["amount"], _("Give the amount paid in yuan as a number, e.g. 15.50."))
                amount = None
        paid_on = parse_date(data.get("paid_on", "")) if data.get("paid_on") else None
        if paid_on is None and "paid_on" not in bad:
            result.fault(header["paid_on"], _("Give the date of payment, e.g. 2026-03-01."))
        places = {org.name: org for org in actions.payment_places(member)}
        place_name = " ".join(data.get("paid_at", "").split())
        paid_at = places.get(place_name) if place_name else member.home_branch
        if paid_at is None and "paid_at" not in bad:
            result.fault(
                header.get("paid_at", ""),
                _(
                    "%(name)s pays at %(places)s: dues are paid at the home branch, or at the flowing organization at "
                    "the destination with an activity certificate."
                )
                % {"name": member.name, "places": "、".join(places)},
            )
        if result.faults or paid_on is None or amount is None or paid_at is None:
            return
        plan = {
            "months": months,
            "amount": amount,
            "paid_on": paid_on,
            "paid_at": paid_at,
            "paid_by": data.get("paid_by") or PaidBy.SELF,
            "proxy_name": data.get("proxy_name", ""),
            "note": data.get("note", "")[:200],
        }
        try:
            actions.check_payment(
                member,
                months=months,
                amount=amount,
                paid_on=paid_on,
                paid_at=paid_at,
                paid_by=plan["paid_by"],
                proxy_name=plan["proxy_name"],
            )
        except ValidationError as error:
            self.add_faults(result, error, bad=bad, data=data)
            return
        result.payload = (member, plan)
        result.action = "created"
        result.preview = Preview(name=member.name, id_number=mask_id_number(member.id_number))

    def apply(self, result: RowResult) -> str:
        member, plan = result.payload
        actions.record_payment(member, by=self.user, audited=result.audited, **plan)
        return "created"
