"""The cross-province service catalog (跨省通办事项) the data migration seeds."""

from django.urls import reverse

from services.models import ServiceCategory, ServiceItem
from tests.conftest import login


def test_the_migration_seeded_lanshans_published_catalog(db):
    names = set(ServiceItem.objects.values_list("name", flat=True))

    assert len(names) >= 50
    assert "社保生存认证（养老保险待遇资格认证）" in names
    assert "异地就医备案" in names
    assert {"养老保险关系转移接续", "医保关系转移接续", "户口迁移", "住房公积金异地转移接续", "婚姻登记"} <= names


def test_every_seeded_item_is_offered_says_how_to_apply_and_has_a_known_category(db):
    items = list(ServiceItem.objects.all())
    assert all(item.is_active and item.description for item in items)
    assert {item.category for item in items} <= set(ServiceCategory.values)
    assert len({item.sort_order for item in items}) == len(items)  # a stable order, as published


def test_every_signed_in_user_reads_the_whole_catalog(county):
    response = login(county.outsider).get(reverse("services:serviceitem_list"))
    assert response.context["table"].paginator.count == ServiceItem.objects.count()
    assert "异地就医备案" in response.content.decode()


def test_the_catalog_is_visible_to_nobody_signed_out_or_disabled(county):
    from django.contrib.auth.models import AnonymousUser

    county.branch.is_active = False
    assert not ServiceItem.objects.visible_to(AnonymousUser()).exists()
    assert not ServiceItem.objects.visible_to(county.branch).exists()
