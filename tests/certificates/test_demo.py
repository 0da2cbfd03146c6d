"""The demo county shows the register: certificates carried over and issued by several townships in their own
numbering, some due their check, some handed back, one void; loading again and resetting keep it whole."""

import re

from django.core.management import call_command

from certificates.models import Certificate, CertificateStatus
from members.models import Outflow


def test_the_demo_county_has_certificates_of_several_townships_due_handed_back_and_void(db):
    call_command("load_demo", allow_production=True, members=400, verbosity=0)

    numbered = Certificate.objects.exclude(sequence=None)
    assert numbered.values("township").distinct().count() >= 3
    for number in numbered.values_list("number", flat=True):
        assert re.fullmatch(r"\w+20\d\d-\d{3}", number), number
    assert Certificate.objects.due().exists()
    assert Certificate.objects.filter(status=CertificateStatus.HANDED_BACK).exists()
    assert Certificate.objects.filter(status=CertificateStatus.VOID).count() == 1
    assert Certificate.objects.filter(checks__isnull=False).exists()
    # Each open outflow's copy is its certificate in force.
    for certificate in Certificate.objects.filter(status=CertificateStatus.VALID).select_related("outflow")[:50]:
        assert certificate.outflow.certificate_number == certificate.number
    assert not Outflow.objects.exclude(certificate_number="").filter(certificates=None).exists()


def test_the_demo_certificates_are_rebuilt_by_a_reset(db):
    call_command("load_demo", allow_production=True, members=120, verbosity=0)
    count = Certificate.objects.count()

    call_command("load_demo", allow_production=True, members=120, verbosity=0, reset=True)

    assert Certificate.objects.count() == count
