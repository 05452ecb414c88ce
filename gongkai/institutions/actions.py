"""Every change to the 机构职能 register: the unit edits its working copy and leaders, submits,
the office approves (which publishes a new version) or returns it with a reason, and either may
confirm that the published information is still current. Each act is audited with its field
changes; a refused act raises InstitutionRejected with the reason in the user's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import (
    Snapshot,
    diff,
    record,
    record_change,
    record_create,
    record_delete,
    record_transition,
    snapshot,
)
from gongkai.institutions.models import (
    LEADER_FIELDS,
    PROFILE_FIELDS,
    Leader,
    Photo,
    Profile,
    ProfileState,
    Release,
    ReleaseLeader,
)
from gongkai.institutions.photos import clean_photo
from gongkai.publishing.sanitize import MAX_HTML, clean_html, text_to_html
from gongkai.units.models import Unit


class InstitutionRejected(Exception):
    """The act is refused; the message says why."""


_LOOKS_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
#: Fields of a leader row that are not its content (left out of the published-version diff).
_ROW_KEYS = ("id", "profile", "release")
_LEADER_EMPTY = {f.name: f.get_default() for f in Leader._meta.concrete_fields}


def rich(raw: str) -> str:
    """主要职能 as stored: pasted HTML cleaned by nh3, plain text made paragraphs."""
    value = (raw or "").strip()
    if len(value) > MAX_HTML:
        raise InstitutionRejected(f"主要职能过长，不能超过 {MAX_HTML} 字符")
    return clean_html(value) if _LOOKS_HTML.search(value) else text_to_html(value)


def _locked(profile: Profile) -> Profile:
    # No select_related: PostgreSQL refuses FOR UPDATE over the nullable `published` join.
    return Profile.objects.select_for_update().get(pk=profile.pk)


def start_profile(actor: Any, unit: Unit) -> Profile:
    """The unit's working copy, made (empty, audited) the first time anyone edits it."""
    with transaction.atomic():
        profile, created = Profile.objects.get_or_create(unit=unit)
        if created:
            record_create(actor, profile, comment="开始填写机构职能信息")
    return profile


def _edited(actor: Any, profile: Profile) -> None:
    """A change to the working copy: refused while under review; unpublished from then on."""
    if profile.state == ProfileState.SUBMITTED:
        raise InstitutionRejected("已报送公开办审核，审核完成前不能修改")
    if profile.state == ProfileState.PUBLISHED:
        profile.state = ProfileState.EDITING
        profile.save(update_fields=["state", "updated_at"])
        record_transition(
            actor, profile, "state", ProfileState.PUBLISHED, ProfileState.EDITING, "修改已发布信息"
        )


def save_profile(actor: Any, unit: Unit, data: Mapping[str, Any]) -> Profile:
    """Write the institution's fields (PROFILE_FIELDS) into the working copy."""
    # The working copy is made inside the same transaction: a refused first edit leaves no empty
    # profile (nor its audit record) behind.
    with transaction.atomic():
        profile = _locked(start_profile(actor, unit))
        before = snapshot(profile)
        for name in PROFILE_FIELDS:
            value = data.get(name) or ""
            setattr(profile, name, rich(value) if name == "functions_html" else value.strip())
        if diff(before, snapshot(profile)):
            _edited(actor, profile)
            profile.save()
            record_change(actor, profile, before)
    return profile


def store_photo(actor: Any, unit: Unit, raw: bytes) -> Photo:
    """Check and re-encode an upload (photos.clean_photo raises PhotoRejected) and keep it."""
    clean = clean_photo(raw)
    photo = Photo.objects.create(
        unit=unit,
        data=clean.data,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        sha256=clean.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=timezone.now(),
    )
    record(actor, AuditAction.CREATE, photo, changes=_photo_facts(photo, created=True))
    return photo


def _photo_facts(photo: Photo, *, created: bool) -> dict[str, list[Any]]:
    # The image bytes stay out of the trail; the fingerprint identifies them.
    facts = {"sha256": photo.sha256, "size": f"{photo.width}×{photo.height}"}
    return {k: [None, v] if created else [v, None] for k, v in facts.items()}


def _drop_if_unused(actor: Any, photo_id: int | None) -> None:
    """Remove a replaced photo that no working copy or published version shows any more."""
    if photo_id is None:
        return
    used = (
        Leader.objects.filter(photo_id=photo_id).exists()
        or ReleaseLeader.objects.filter(photo_id=photo_id).exists()
    )
    photo = Photo.objects.filter(pk=photo_id).first()
    if not used and photo is not None:
        changes = _photo_facts(photo, created=False)
        record(actor, AuditAction.DELETE, photo, changes=changes, comment="照片已不再使用")
        photo.delete()


def save_leader(
    actor: Any,
    unit: Unit,
    leader: Leader | None,
    data: Mapping[str, Any],
    photo: bytes | None = None,
) -> Leader:
    """Add a leader (`leader` None) or change one; `photo`, when given, replaces the photo."""
    with transaction.atomic():  # as in save_profile: a refused photo leaves nothing behind
        profile = _locked(start_profile(actor, unit))
        target = leader or Leader(profile=profile)
        if target.profile_id != profile.pk:
            raise InstitutionRejected("该负责人不属于本单位")
        before = snapshot(target) if target.pk else None
        old_photo = target.photo_id
        for name in LEADER_FIELDS:
            if name == "photo":
                continue
            value = data.get(name)
            if value is None:  # left out: the field's own empty value ("" or None or 0)
                value = _LEADER_EMPTY[name]
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        if photo is not None:
            target.photo = store_photo(actor, unit, photo)
        if before is not None and not diff(before, snapshot(target)):
            return target
        _edited(actor, profile)
        target.save()
        if before is None:
            record_create(actor, target, comment="新增负责人")
        else:
            record_change(actor, target, before)
        if target.photo_id != old_photo:
            _drop_if_unused(actor, old_photo)
    return target


def remove_leader(actor: Any, leader: Leader) -> None:
    with transaction.atomic():
        profile = _locked(leader.profile)
        _edited(actor, profile)
        photo_id = leader.photo_id
        record_delete(actor, leader, comment="删除负责人")
        leader.delete()
        _drop_if_unused(actor, photo_id)


def submit(actor: Any, profile: Profile) -> None:
    """File the working copy for the office's review; refused while anything required is
    missing, and when it is exactly what is already published."""
    with transaction.atomic():
        profile = _locked(profile)
        if profile.state == ProfileState.SUBMITTED:
            raise InstitutionRejected("已报送公开办审核，请等待审核结果")
        if profile.state == ProfileState.PUBLISHED:
            raise InstitutionRejected(
                "内容与已发布的版本相同，无需报送；信息仍然准确的，请点击「确认无变化」"
            )
        missing = profile.missing()
        if missing:
            raise InstitutionRejected("以下内容尚未填写，不能报送：" + "、".join(missing))
        old = profile.state
        profile.state = ProfileState.SUBMITTED
        profile.submitted_at = timezone.now()
        profile.submitted_by = actor
        profile.save()
        record_transition(actor, profile, "state", old, profile.state, "报送公开办审核")


def content(obj: Profile | Release) -> Snapshot:
    """The information as the public reads it: the fields and the leaders in order."""
    data: Snapshot = snapshot(obj, m2m=False)
    shown: Snapshot = {name: data[name] for name in PROFILE_FIELDS}
    shown["leaders"] = [
        {k: v for k, v in snapshot(leader, m2m=False).items() if k not in _ROW_KEYS}
        for leader in obj.leaders.all()
    ]
    return shown


def review(actor: Any, profile: Profile, *, approve: bool, reason: str = "") -> Release | None:
    """The office's decision on a submitted working copy. Approval publishes it as a new
    version (returned); a return needs the reason, which the unit sees."""
    reason = reason.strip()
    if not approve and not reason:
        raise InstitutionRejected("退回时请写明退回理由")
    with transaction.atomic():
        profile = _locked(profile)
        if profile.state != ProfileState.SUBMITTED:
            raise InstitutionRejected("该单位的机构职能信息不在待审核状态")
        now = timezone.now()
        profile.reviewed_at, profile.reviewed_by = now, actor
        if not approve:
            profile.state, profile.return_reason = ProfileState.RETURNED, reason
            profile.save()
            record_transition(
                actor, profile, "state", ProfileState.SUBMITTED, profile.state, f"退回：{reason}"
            )
            return None
        previous = profile.published
        number = (profile.releases.aggregate(n=Max("number"))["n"] or 0) + 1
        release = Release.objects.create(
            profile=profile,
            number=number,
            approved_at=now,
            approved_by=actor,
            submitted_by=profile.submitted_by,
            **{name: getattr(profile, name) for name in PROFILE_FIELDS},
        )
        for leader in profile.leaders.all():
            ReleaseLeader.objects.create(
                release=release, **{name: getattr(leader, name) for name in LEADER_FIELDS}
            )
        changes = diff(content(previous) if previous else None, content(release))
        record(actor, AuditAction.CREATE, release, changes=changes, comment=f"发布第 {number} 版")
        profile.state, profile.return_reason, profile.published = (
            ProfileState.PUBLISHED,
            "",
            release,
        )
        profile.save()
        record_transition(
            actor, profile, "state", ProfileState.SUBMITTED, profile.state, "审核通过并发布"
        )
        return release


def confirm_current(actor: Any, profile: Profile) -> None:
    """「确认无变化」: the published information is still right, so its age starts again."""
    with transaction.atomic():
        profile = _locked(profile)
        if profile.published_id is None:
            raise InstitutionRejected("尚未发布机构职能信息，无法确认无变化")
        if profile.state != ProfileState.PUBLISHED:
            raise InstitutionRejected(
                "有尚未发布的修改，请报送审核；「确认无变化」只适用于未作修改的已发布信息"
            )
        before = snapshot(profile)
        profile.confirmed_at, profile.confirmed_by = timezone.now(), actor
        profile.save()
        record_change(actor, profile, before, comment="确认已发布的机构职能信息无变化")
