"""The agreements' county, shared by the agreement tests."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from lanshan_party.models import Role
from tests.factories import UserFactory
from tests.organizations.factories_agreements import PDF, AgreementFactory


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    """The shared county with a Huadu and a Kunming agreement (both with a signed copy), an agreement
    without one, and the Kunming organization's secretary."""
    county.huadu_agreement = AgreementFactory(counterpart="中共广州市花都区委组织部", covers=[county.huadu])
    county.huadu_agreement.scan.save("huadu.pdf", ContentFile(PDF))
    county.kunming_agreement = AgreementFactory(
        counterpart="中共昆明市官渡区委组织部",
        province="云南省",
        city="昆明市",
        district="官渡区",
        covers=[county.kunming],
    )
    county.kunming_agreement.scan.save("kunming.pdf", ContentFile(PDF))
    county.unscanned = AgreementFactory(counterpart="中共广州市花都区狮岭镇委员会", covers=[county.huadu])
    county.kunming_secretary = UserFactory(
        username="kunming_secretary", role=Role.SECRETARY, organization=county.kunming
    )
    return county
