"""The objects of the newer domains that fill the fuzzed pages' URLs, each made through its app's own actions, in
花果村 (or its members) wherever the page has a place, so the branch secretary sees them as well as the administrator."""

import datetime
import secrets
from types import SimpleNamespace
from unittest import mock

from certificates import actions as certificates
from dues import actions as dues
from dues.models import DuesRelief, DuesStandard
from members import actions as members
from selfservice import actions as selfservice
from selfservice.models import Purpose
from tests.factories import MemberFactory
from tests.transfers.conftest import DESTINATION
from tests.yearly.factories import CommitteeMemberFactory, StudyRecordFactory
from transfers import actions as transfers
from yearly import actions as yearly


def add_objects_of_the_new_domains(c: SimpleNamespace) -> None:
    # Transfers: one at each step a page is about (a draft to edit, submit or withdraw; one at the township to
    # approve or return; one at the county to approve; one with its letter issued, to print and record the receipt).
    c.transfer = transfers.start_transfer_out(
        MemberFactory(name="张建国", home_branch=c.huaguo), by=c.branch, **DESTINATION
    )
    c.transfer_at_township = transfers.submit(
        transfers.start_transfer_out(MemberFactory(name="黄丽萍", home_branch=c.huaguo), by=c.branch, **DESTINATION),
        by=c.branch,
    )
    c.transfer_at_county = transfers.approve(
        transfers.submit(
            transfers.start_transfer_out(
                MemberFactory(name="雷志强", home_branch=c.huaguo), by=c.branch, **DESTINATION
            ),
            by=c.branch,
        ),
        by=c.township,
    )
    issued = transfers.start_transfer_out(
        MemberFactory(name="欧阳明", home_branch=c.huaguo), by=c.branch, **DESTINATION
    )
    transfers.submit(issued, by=c.branch)
    transfers.approve(issued, by=c.township)
    c.transfer_issued = transfers.approve(issued, by=c.county_staff)
    assert c.transfer_issued.letter_number is not None

    # Certificates: 袁芳伟's, to check, hand back or void; and an open departure without one, to issue.
    c.certificate = certificates.issue_certificate(c.yuan_outflow, by=c.township, issued_on=datetime.date(2024, 3, 1))
    c.uncertified = MemberFactory(name="陈小燕", home_branch=c.huaguo)
    c.uncertified_outflow = members.register_outflow(
        c.uncertified,
        by=c.admin,
        departure_date=datetime.date(2025, 9, 1),
        province="广东省",
        city="广州市",
        district="花都区",
    )

    # The year's duties.
    c.study_record = StudyRecordFactory(member=c.yuan)
    c.committee_member = CommitteeMemberFactory(member=c.yuan)
    c.term = yearly.record_term(c.huaguo, started_on=datetime.date(2024, 1, 10), years=3, by=c.admin)

    # Dues: a standard not yet confirmed, and a relief awaiting its decision one level up (塔峰镇).
    c.standard = dues.save_standard(
        DuesStandard(member=c.yuan, year=2026, basis="employed", monthly_income=4000), by=c.admin
    )
    c.relief = dues.request_relief(
        DuesRelief(member=c.yuan, kind="exempt", year=2026, from_month=1, to_month=2, reason="因病"), by=c.branch
    )

    # Self-service: a live personal link whose token we know, an answer awaiting review, a public request.
    c.link_token = secrets.token_urlsafe(32)
    with mock.patch.object(selfservice, "new_token", return_value=c.link_token):
        c.personal_link = selfservice.send_link(c.yuan, purpose=Purpose.CHANGE, by=c.branch)
    answered = selfservice.send_link(c.yuan, purpose=Purpose.WHEREABOUTS, by=c.branch)
    c.self_report = selfservice.submit_report(answered, province="广东省", city="广州市", district="花都区")
    c.public_request = selfservice.leave_request(
        c.huadu, ip=None, name="求助人", phone="13800138000", home_township="塔峰镇"
    )
