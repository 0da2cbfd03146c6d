"""Recording an activity with its attendance and photos in one form: scope, double submits, stale edits, uploads."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity, ActivityPhoto, Attendance
from lanshan_party.models import AuditAction, AuditEntry
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory, attend

# These tests write activities on fixed days of 2026, which must be in the past.
pytestmark = pytest.mark.usefixtures("on_a_fixed_day")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _data(organization, **changes):
    data = {
        "organization": organization.pk,
        "type": "theme_day",
        "theme_parts": ["lesson", "practice"],
        "date": "2026-03-05",
        "hours": "2",
        "topic": "学习新修订的党章",
        "place": "花都区新华街道党群服务中心",
        "online_link": "",
        "summary": "",
        "submission": "a" * 32,
    }
    data.update(changes)
    return data


def test_the_form_lists_the_holding_organizations_members_for_one_tap_attendance(county):
    response = login(county.secretary).get(reverse("activities:activity_create"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "袁芳伟" in body  # away in Huadu, the secretary's flowing organization
    assert f'name="att-{county.yuan.pk}"' in body
    assert "马云" not in body
    assert "全部出席" in body


def test_a_secretary_logs_an_activity_and_the_members_last_life_date_follows(county):
    client = login(county.secretary)
    response = client.post(
        reverse("activities:activity_create"), _data(county.huadu, **{f"att-{county.yuan.pk}": "present"})
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == activity.get_absolute_url()
    assert activity.created_by == county.secretary
    assert activity.theme_parts == ["lesson", "practice"]
    county.yuan.refresh_from_db()
    assert county.yuan.last_life_on == datetime.date(2026, 3, 5)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="activities.activity")
    assert "present=1" in entry.note
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "袁芳伟" in detail


def test_a_secretary_cannot_attach_another_organizations_member_even_by_posting_the_id_by_hand(county):
    data = _data(county.huadu, **{f"att-{county.yuan.pk}": "present", f"att-{county.ma.pk}": "present"})
    response = login(county.secretary).post(reverse("activities:activity_create"), data)
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert not Attendance.objects.exists()
    county.ma.refresh_from_db()
    assert county.ma.last_life_on is None
    assert "马云" not in response.content.decode()
    assert response.context["attendance"].non_field_errors()


def test_a_member_of_another_organization_the_user_may_see_can_attend(county):
    """一方隶属、参加多重组织生活: 袁芳伟 (away in Huadu) attends his home village's activity."""
    data = _data(county.huaguo, place="花果村党员活动室", **{f"att-{county.yuan.pk}": "online"})
    response = login(county.township).post(reverse("activities:activity_create"), data)
    assert response.status_code == 302
    assert Attendance.objects.get().member == county.yuan


def test_a_secretary_cannot_record_an_activity_for_another_organization(county):
    response = login(county.secretary).post(reverse("activities:activity_create"), _data(county.kunming))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_the_same_form_posted_twice_saves_one_activity(county):
    client = login(county.secretary)
    data = _data(county.huadu, **{f"att-{county.yuan.pk}": "present"})
    first = client.post(reverse("activities:activity_create"), data)
    second = client.post(reverse("activities:activity_create"), data)
    assert Activity.objects.count() == 1
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"date": "2099-01-01"}, "date", "未来"),
        ({"date": "2026-13-01"}, "date", ""),
        ({"topic": ""}, "topic", "主题"),
        ({"place": "", "online_link": ""}, "place", "地点"),
        ({"hours": "abc"}, "hours", ""),
        ({"type": "members_meeting"}, "theme_parts", ""),
    ],
)
def test_a_wrong_field_is_explained_and_nothing_is_saved(county, changes, field, words):
    response = login(county.secretary).post(reverse("activities:activity_create"), _data(county.huadu, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert words in " ".join(response.context["form"].errors[field])
    assert not Activity.objects.exists()


def test_editing_an_activity_that_someone_else_changed_meanwhile_is_refused(county):
    activity = ActivityFactory(organization=county.huadu, date=datetime.date(2026, 3, 1))
    client = login(county.secretary)
    form = client.get(reverse("activities:activity_update", args=[activity.pk])).context["form"]
    version = form.initial["version"]
    Activity.objects.filter(pk=activity.pk).update(
        topic="别人改过", updated_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    )
    response = client.post(
        reverse("activities:activity_update", args=[activity.pk]), _data(county.huadu, version=version, submission="")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    activity.refresh_from_db()
    assert activity.topic == "别人改过"


def test_editing_keeps_the_attendance_and_shows_it_checked(county):
    activity = attend(ActivityFactory(organization=county.huadu), (county.yuan, "online"), by=county.secretary)
    response = login(county.secretary).get(reverse("activities:activity_update", args=[activity.pk]))
    body = response.content.decode()
    assert f'id="att-{county.yuan.pk}-online" value="online" autocomplete="off" checked' in body


def test_another_secretary_cannot_open_or_edit_the_activity(county):
    activity = ActivityFactory(organization=county.huadu)
    client = login(county.outsider)
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.get(reverse("activities:activity_update", args=[activity.pk])).status_code == 404
    assert (
        client.post(reverse("activities:activity_update", args=[activity.pk]), _data(county.huadu)).status_code == 404
    )


def test_the_roster_and_the_member_search_list_only_members_the_user_may_see(county):
    client = login(county.secretary)
    roster = client.get(reverse("activities:roster"), {"organization": county.huadu.pk}).content.decode()
    assert "袁芳伟" in roster and "马云" not in roster
    assert client.get(reverse("activities:roster"), {"organization": county.kunming.pk}).status_code == 404
    found = client.get(reverse("members:member_search"), {"q": "马云", "for": "attendance"}).content.decode()
    assert "马云" not in found
    found = client.get(reverse("members:member_search"), {"q": "袁", "for": "attendance"}).content.decode()
    assert "袁芳伟" in found


# ----------------------------------------------------------------------------------------------- photos


def _post_with_photo(client, county, upload):
    return client.post(reverse("activities:activity_create"), {**_data(county.huadu), "photos": [upload]})


def test_a_jpeg_and_a_png_photo_are_stored_and_served_to_users_who_see_the_activity(county):
    client = login(county.secretary)
    response = client.post(
        reverse("activities:activity_create"),
        {
            **_data(county.huadu),
            "photos": [SimpleUploadedFile("现场.jpg", JPEG), SimpleUploadedFile("合影.PNG", PNG)],
        },
    )
    assert response.status_code == 302
    photos = list(ActivityPhoto.objects.order_by("id"))
    assert len(photos) == 2
    assert "现场" not in photos[0].image.name  # stored under a random name
    served = client.get(reverse("activities:activity_photo", args=[photos[1].pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert login(county.outsider).get(reverse("activities:activity_photo", args=[photos[1].pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        pytest.param("notes.txt", b"just some text", "不是", id="wrong_type"),
        pytest.param("photo.jpg", b"%PDF-1.4 a pdf pretending to be a photo", "不是", id="pdf_named_jpg"),
        pytest.param("photo.png", JPEG, ".jpg", id="jpeg_named_png"),
        pytest.param("script.jpg", b"<script>alert(1)</script>", "不是", id="html_named_jpg"),
    ],
)
def test_a_photo_that_is_not_what_it_claims_is_refused_with_a_clear_error(county, name, content, words):
    response = _post_with_photo(login(county.secretary), county, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["photos"])
    assert words in errors
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()


def test_an_oversized_photo_is_refused_with_its_size_and_the_limit(county, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _post_with_photo(login(county.secretary), county, SimpleUploadedFile("big.jpg", JPEG + b"\x00" * 2048))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["photos"])
    assert "1.0 KB" in errors or "1.0 KB" in errors.replace("\xa0", " ")
    assert not Activity.objects.exists()


def test_removing_a_photo_on_edit_deletes_it(county, django_capture_on_commit_callbacks):
    client = login(county.secretary)
    _post_with_photo(client, county, SimpleUploadedFile("a.jpg", JPEG))
    activity, photo = Activity.objects.get(), ActivityPhoto.objects.get()
    storage, name = photo.image.storage, photo.image.name
    form = client.get(reverse("activities:activity_update", args=[activity.pk])).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("activities:activity_update", args=[activity.pk]),
            {**_data(county.huadu, version=form.initial["version"], submission=""), "remove_photo": [photo.pk]},
        )
    assert response.status_code == 302
    assert not ActivityPhoto.objects.exists()
    assert not storage.exists(name)


def test_too_many_photos_at_once_are_refused(county):
    uploads = [SimpleUploadedFile(f"{i}.jpg", JPEG) for i in range(10)]
    response = login(county.secretary).post(
        reverse("activities:activity_create"), {**_data(county.huadu), "photos": uploads}
    )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors


def test_the_upload_checker_reads_the_content_not_the_name():
    from lanshan_party.uploads import sniff

    assert sniff(io.BytesIO(PNG)) == "png"
    assert sniff(io.BytesIO(JPEG)) == "jpeg"
    assert sniff(io.BytesIO(b"%PDF-1.7")) == "pdf"
    assert sniff(io.BytesIO(b"PK\x03\x04 docx")) is None


def test_members_visible_in_the_attendance_of_another_organizations_activity_link_only_when_visible(county):
    activity = attend(ActivityFactory(organization=county.huaguo), (county.yuan, "present"), by=county.admin)
    other = MemberFactory(name="钟秀兰", home_branch=county.huaguo)
    attend(activity, (other, "excused"), by=county.admin)
    body = login(county.branch).get(activity.get_absolute_url()).content.decode()
    assert reverse("members:member_detail", args=[county.yuan.pk]) in body
    assert "钟秀兰" in body


def test_a_very_large_organization_lists_its_first_members_and_says_the_rest_are_found_by_search(county, monkeypatch):
    monkeypatch.setattr("activities.forms.ROSTER_LIMIT", 3)
    for n in range(5):
        MemberFactory(name=f"花果村党员{n}", home_branch=county.huaguo)
    activity = attend(ActivityFactory(organization=county.huaguo), (county.qin, "present"), by=county.admin)
    response = login(county.township).get(reverse("activities:activity_update", args=[activity.pk]))
    listed = {member.name for member in response.context["attendance"].members}
    assert len(listed) == 4  # the first 3 by name, and 覃文英, who is recorded though of another branch
    assert "覃文英" in listed
    assert 'data-testid="roster-truncated"' in response.content.decode()
