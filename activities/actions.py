"""Recording activities with their attendance and photos, and keeping each member's last organizational life in step."""

from collections.abc import Iterable, Mapping
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from activities.models import ATTENDED, NOT_ORGANIZATIONAL_LIFE, Activity, ActivityPhoto, Attendance, AttendanceStatus
from lanshan_party import audit
from lanshan_party.models import AuditAction, User
from members.models import Member


def refresh_last_life(member_ids: Iterable[int]) -> None:
    """Recompute the members' last organizational life from their attendance (present or online at any
    activity that counts). Recomputed, not just raised, so a corrected or deleted record lowers it again."""
    ids = sorted(set(member_ids))
    if not ids:
        return
    latest = dict(
        Attendance.objects.filter(member_id__in=ids, status__in=ATTENDED)
        .exclude(activity__type__in=NOT_ORGANIZATIONAL_LIFE)
        .order_by()
        .values_list("member_id")
        .annotate(latest=Max("activity__date"))
    )
    Member.objects.bulk_update(
        [Member(pk=pk, last_life_on=latest.get(pk)) for pk in ids], ["last_life_on"], batch_size=500
    )


@transaction.atomic
def save_activity(
    activity: Activity,
    *,
    attendance: Mapping[int, str],
    photos: Iterable[UploadedFile] = (),
    remove_photos: Iterable[str | int] = (),
    by: User,
    before: dict | None = None,
) -> Activity:
    """Save a new or edited activity with its attendance ({member id: status}, "" to remove a record), new photos
    and photos to remove, in one transaction with its audit entry. The caller has checked every member id is
    visible to `by`."""
    creating = activity.pk is None
    if creating:
        activity.created_by = by
    activity.save()

    existing = {row.member_id: row for row in Attendance.objects.filter(activity=activity)}
    changed: set[int] = set()
    added, updated, removed = [], [], []
    for member_id, status in attendance.items():
        row = existing.get(member_id)
        if not status:
            if row is not None:
                removed.append(row.pk)
                changed.add(member_id)
        elif row is None:
            added.append(Attendance(activity=activity, member_id=member_id, status=status))
            changed.add(member_id)
        elif row.status != status:
            row.status = status
            updated.append(row)
            changed.add(member_id)
    Attendance.objects.filter(pk__in=removed).delete()
    Attendance.objects.bulk_create(added, batch_size=500)
    Attendance.objects.bulk_update(updated, ["status"], batch_size=500)
    if before is not None and (before.get("date") != str(activity.date) or before.get("type") != activity.type):
        changed |= set(existing)  # a moved date or changed type changes every attendee's last life
    refresh_last_life(changed)

    photo_ids = [int(pk) for pk in map(str, remove_photos) if pk.isdecimal() and len(pk) <= 20]  # others are no id
    removed_photos = list(activity.photos.filter(pk__in=photo_ids))
    for photo in removed_photos:
        storage, stored = photo.image.storage, photo.image.name
        assert stored is not None  # a photo read from its row has a name: the column is NOT NULL
        photo.delete()
        # The file goes only once the deletion is committed: a rolled-back save keeps its photos.
        transaction.on_commit(partial(storage.delete, stored))
    added_photos = [ActivityPhoto.objects.create(activity=activity, image=upload) for upload in photos]

    totals = Attendance.objects.filter(activity=activity).values_list("status")
    counts = {status: 0 for status in AttendanceStatus.values}  # the choices of Attendance.status, in their order
    for (status,) in totals:
        counts[status] += 1
    note = " ".join(f"{status}={n}" for status, n in counts.items())
    if added_photos or removed_photos:
        note += f" photos+{len(added_photos)}-{len(removed_photos)}"
    if creating:
        audit.record_create(activity, actor=by, note=note)
    else:
        entry = audit.record_update(activity, before or {}, actor=by, note=note)
        if entry is None and (changed or added_photos or removed_photos):
            audit.record(AuditAction.UPDATE, actor=by, obj=activity, note=note)
    return activity
