"""Scoping lives in the base classes, so a new filter, form or page cannot forget it: every dropdown of objects offers
only what the user may see, and a save that would move a record out of the user's scope is refused."""

import django_filters
from django import forms
from django.test import RequestFactory

from lanshan_party.filters import ScopedFilterSet
from members.forms import MemberForm
from members.models import Member
from members.views import MemberCreateView, MemberUpdateView
from organizations.models import Organization
from tests.conftest import login
from tests.members.test_personal_data import member_post_data


class CarelessFilter(ScopedFilterSet):
    """A filter written without a thought for scoping."""

    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.all(), field_name="home_branch")

    class Meta:
        model = Member
        fields = ["organization"]


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_filter_dropdown_nobody_scoped_offers_only_what_the_user_sees(county):
    choices = set(CarelessFilter(request=request_of(county.branch)).filters["organization"].queryset)

    assert choices == {county.huaguo}
    assert county.zongshicun in set(CarelessFilter(request=request_of(county.admin)).filters["organization"].queryset)


class CarelessForm(MemberForm):
    """A form whose home-branch dropdown forgot the user's scope."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_branch"].queryset = Organization.objects.all()


def test_a_form_dropdown_nobody_scoped_offers_only_what_the_user_sees(county):
    view = MemberCreateView(form_class=CarelessForm)
    view.setup(request_of(county.branch))
    view.object = None

    assert set(view.get_form().fields["home_branch"].queryset) == {county.huaguo}


def test_the_value_a_record_holds_now_stays_a_choice_even_outside_the_users_scope(county):
    # 袁芳伟 flows under Huadu; his home branch 花果村 is not in the Huadu secretary's subtree.
    view = MemberUpdateView(form_class=CarelessForm)
    view.setup(request_of(county.secretary), pk=county.yuan.pk)
    view.object = view.get_object()

    choices = set(view.get_form().fields["home_branch"].queryset)
    assert county.huaguo in choices  # kept, though the secretary does not see it
    assert county.zongshicun not in choices and county.chengdong not in choices


class MovingForm(MemberForm):
    """A form with a mistake of its own: it moves every member it saves to 总市村."""

    def __init__(self, *args, moved_to=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.moved_to = moved_to

    def save(self, commit=True):
        self.instance.home_branch = Organization.objects.get(name__contains="总市村")
        return super().save(commit)


def test_a_save_that_would_put_the_record_outside_the_users_scope_is_refused_and_nothing_is_written(county):
    yuan = county.yuan
    before = Member.objects.get(pk=yuan.pk).home_branch_id
    client = login(county.branch)
    original = MemberUpdateView.form_class
    MemberUpdateView.form_class = MovingForm
    try:
        response = client.post(f"/members/{yuan.pk}/edit/", member_post_data(yuan, note="改个备注"))
    finally:
        MemberUpdateView.form_class = original

    assert response.status_code == 200
    assert "移出您所管理的组织" in str(response.context["form"].non_field_errors())
    stored = Member.objects.get(pk=yuan.pk)
    assert stored.home_branch_id == before and stored.note != "改个备注"


def test_the_scoped_form_base_leaves_choices_of_unscoped_models_alone(county):
    class Plain(forms.Form):
        role = forms.ChoiceField(choices=[("a", "a")])

    view = MemberCreateView(form_class=Plain)
    view.setup(request_of(county.branch))
    view.object = None
    view.get_form_kwargs = lambda: {}

    assert list(view.get_form().fields["role"].choices) == [("a", "a")]


def test_a_starting_value_typed_into_the_address_is_not_kept_as_a_choice_and_is_no_error(county):
    # The new-station page takes its organization from ?organization=…; only a record's stored value is kept.
    response = login(county.admin).get("/organizations/stations/new/?organization=1077-10-10")

    assert response.status_code == 200
