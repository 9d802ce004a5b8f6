"""The issuer of its day: the issuing unit's dated identity (IssuerProfile) and the letterhead a
document takes from it.

What wins, field by field, for a document of unit U dated D:
1. the regime's report outline, where the field is set (a per-regime override; empty = not set);
2. U's IssuerProfile valid on D;
3. a fallback derived from the unit itself (its parent's and its own name, its code), the place
   left empty; the signer "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" as before profiles existed.
The signer's authority and title go as a pair: from the outline when its title is set, else from the
profile when there is one, else the fallback. An approved report version keeps the letterhead it was
issued with (ReportVersion.header), whatever is edited afterwards.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import transaction

from baocao.accounts.roles import is_admin
from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.consolidation.models import IssuerProfile, ReportOutline
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.core.vietnamese import format_date

DEFAULT_SIGNER_AUTHORITY = "KT. GIÁM ĐỐC"
DEFAULT_SIGNER_TITLE = "PHÓ GIÁM ĐỐC"
PROFILE_FIELDS = ("valid_from", "valid_to", "parent_body", "agency_name", "agency_code", "place_name",
                  "signer_authority", "signer_title", "recipients", "archive")


@dataclass(frozen=True)
class Letterhead:
    parent_body: str
    issuer: str
    issuer_code: str
    type_code: str
    place: str
    recipients: tuple[str, ...] = ()
    archive: str = "VT"
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    profile_id: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["recipients"] = list(self.recipients)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Letterhead:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known["recipients"] = tuple(known.get("recipients") or ())
        return cls(**known)


# ---------------------------------------------------------------------------
# Reads


def issuer_profile_on(unit, on: date) -> IssuerProfile | None:
    """The unit's profile valid on `on`, or None."""
    if unit is None or unit.pk is None:
        return None
    return (IssuerProfile.objects.filter(unit=unit, valid_from__lte=on)
            .exclude(valid_to__lt=on).order_by("-valid_from").first())


def issuer_profiles(unit) -> list[IssuerProfile]:
    return list(IssuerProfile.objects.filter(unit=unit).order_by("valid_from"))


def letterhead(*, unit, on: date, outline: ReportOutline | None, type_code: str,
               fallback_parent_body: str, fallback_issuer: str, fallback_place: str = "",
               fallback_archive: str = "VT") -> Letterhead:
    """The letterhead of a document of `unit` dated `on` (see the module's docstring for what wins)."""
    profile = issuer_profile_on(unit, on)

    def pick(outline_value: str, profile_value: str | None, default: str) -> str:
        if outline_value:
            return outline_value
        if profile is not None and profile_value:
            return profile_value
        return default

    o = outline
    if o is not None and o.signer_title:
        authority, title = o.signer_authority, o.signer_title
    elif profile is not None and profile.signer_title:
        authority, title = profile.signer_authority, profile.signer_title
    else:
        authority, title = DEFAULT_SIGNER_AUTHORITY, DEFAULT_SIGNER_TITLE
    recipients = list(o.recipients or []) if o is not None else []
    if not recipients and profile is not None:
        recipients = list(profile.recipients or [])
    return Letterhead(
        parent_body=pick(o.parent_body if o else "", profile.parent_body if profile else None, fallback_parent_body),
        issuer=pick(o.issuer_name if o else "", profile.agency_name if profile else None, fallback_issuer),
        issuer_code=pick(o.issuer_code if o else "", profile.agency_code if profile else None, unit.code),
        type_code=type_code,
        place=pick(o.place if o else "", profile.place_name if profile else None, fallback_place),
        recipients=tuple(str(r) for r in recipients),
        archive=pick(o.archive if o else "", profile.archive if profile else None, fallback_archive),
        signer_authority=authority or "", signer_title=title,
        signer_name=(o.signer_name if o is not None else "") or "",
        profile_id=profile.pk if profile is not None else None,
    )


# ---------------------------------------------------------------------------
# Writes


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDeniedError("Chỉ quản trị viên được sửa thông tin cơ quan ban hành.")


def _clean(fields: dict) -> dict:
    data = dict(fields)
    errors: dict[str, str] = {}
    for name in ("parent_body", "agency_name", "agency_code", "place_name", "signer_authority", "signer_title",
                 "archive"):
        if name in data:
            value = data[name]
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors[name] = "Phải là chữ."
                continue
            data[name] = " ".join(value.split())
    for name, limit in (("parent_body", 200), ("agency_name", 200), ("agency_code", 30), ("place_name", 100),
                        ("signer_authority", 60), ("signer_title", 60), ("archive", 100)):
        if isinstance(data.get(name), str) and len(data[name]) > limit:
            errors[name] = f"Dài quá {limit} ký tự."
    if not data.get("agency_name"):
        errors["agency_name"] = "Bắt buộc"
    if not data.get("agency_code"):
        errors["agency_code"] = "Bắt buộc"
    elif isinstance(data.get("agency_code"), str) and any(ch.isspace() or ch == "/" for ch in data["agency_code"]):
        errors["agency_code"] = "Ký hiệu không được có dấu cách hoặc dấu «/»."
    for name in ("valid_from", "valid_to"):
        value = data.get(name)
        if isinstance(value, str) and value:
            try:
                data[name] = date.fromisoformat(value)
            except ValueError:
                errors[name] = "Ngày không hợp lệ (YYYY-MM-DD)."
        elif value in ("", None):
            data[name] = None
        elif not isinstance(value, date):
            errors[name] = "Ngày không hợp lệ (YYYY-MM-DD)."
    if data.get("valid_from") is None and "valid_from" not in errors:
        errors["valid_from"] = "Bắt buộc"
    recipients = data.get("recipients")
    if recipients is None:
        data["recipients"] = []
    elif isinstance(recipients, str):
        data["recipients"] = [line.strip() for line in recipients.splitlines() if line.strip()]
    elif not isinstance(recipients, list | tuple) or not all(isinstance(r, str) for r in recipients):
        errors["recipients"] = "Nơi nhận phải là danh sách các dòng chữ."
    else:
        data["recipients"] = [" ".join(r.split()) for r in recipients if r.strip()]
    if errors:
        raise AppError("Thông tin cơ quan ban hành chưa hợp lệ: " + ", ".join(errors) + ".", {"fields": errors})
    start, end = data["valid_from"], data.get("valid_to")
    if end is not None and end < start:
        raise AppError("Ngày kết thúc phải sau ngày bắt đầu áp dụng.", {"fields": {"valid_to": end.isoformat()}})
    return data


def _refuse_overlap(unit, start: date, end: date | None, *, exclude_pk: int | None = None) -> None:
    others = IssuerProfile.objects.select_for_update().filter(unit=unit)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        if (end is None or other.valid_from <= end) and (other.valid_to is None or start <= other.valid_to):
            until = format_date(other.valid_to) if other.valid_to else "nay"
            raise AppError(
                f"Khoảng thời gian trùng với thông tin cơ quan ban hành «{other.agency_name}» áp dụng từ "
                f"{format_date(other.valid_from)} đến {until}; mỗi ngày chỉ có một thông tin cơ quan ban hành.",
                {"fields": {"valid_from": start.isoformat()}, "conflict": other.pk},
            )


def _audit_fields(acting_user, action, profile: IssuerProfile, old: dict | None) -> None:
    for name in PROFILE_FIELDS:
        new_value = getattr(profile, name)
        old_value = None if old is None else old.get(name)
        if old is not None and old_value == new_value:
            continue
        audit_record(actor=acting_user, action=action, entity="issuer_profile", entity_id=profile.pk,
                     unit=profile.unit, field=name, old=_show(old_value), new=_show(new_value))


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)[:2000]


def issuer_profile_create(*, acting_user, unit, **fields) -> IssuerProfile:
    """Add a dated profile to `unit`; a period overlapping another profile of the unit is refused."""
    _require_admin(acting_user)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise AppError(f"Trường không có: {', '.join(sorted(unknown))}.")
    data = _clean(fields)
    with transaction.atomic():
        _refuse_overlap(unit, data["valid_from"], data.get("valid_to"))
        profile = IssuerProfile.objects.create(unit=unit, **data)
        _audit_fields(acting_user, AuditAction.ISSUER_PROFILE_CREATE, profile, None)
        return profile


def issuer_profile_update(*, acting_user, profile: IssuerProfile, **fields) -> IssuerProfile:
    _require_admin(acting_user)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise AppError(f"Trường không có: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        try:
            current = IssuerProfile.objects.select_for_update().get(pk=profile.pk)
        except IssuerProfile.DoesNotExist:
            raise NotFound("Không tìm thấy thông tin cơ quan ban hành.") from None
        old = {name: getattr(current, name) for name in PROFILE_FIELDS}
        data = _clean({**old, **fields})
        _refuse_overlap(current.unit, data["valid_from"], data.get("valid_to"), exclude_pk=current.pk)
        for name, value in data.items():
            setattr(current, name, value)
        current.save()
        _audit_fields(acting_user, AuditAction.ISSUER_PROFILE_UPDATE, current, old)
        return current


def issuer_profile_delete(*, acting_user, profile: IssuerProfile) -> None:
    _require_admin(acting_user)
    with transaction.atomic():
        audit_record(actor=acting_user, action=AuditAction.ISSUER_PROFILE_DELETE, entity="issuer_profile",
                     entity_id=profile.pk, unit=profile.unit, field="agency_name", old=profile.agency_name)
        profile.delete()


def issuer_profile_ensure(unit, valid_from: date, *, acting_user=None, **fields) -> IssuerProfile:
    """The loaders' (demo, imports) idempotent form: the unit's profile starting on `valid_from` with
    these fields, created or brought up to date (audited as the given user, or the system's)."""
    data = _clean({"valid_from": valid_from, **fields})
    with transaction.atomic():
        current = IssuerProfile.objects.select_for_update().filter(unit=unit, valid_from=valid_from).first()
        _refuse_overlap(unit, data["valid_from"], data.get("valid_to"),
                        exclude_pk=current.pk if current is not None else None)
        if current is None:
            profile = IssuerProfile.objects.create(unit=unit, **data)
            _audit_fields(acting_user, AuditAction.ISSUER_PROFILE_CREATE, profile, None)
            return profile
        old = {name: getattr(current, name) for name in PROFILE_FIELDS}
        for name, value in data.items():
            setattr(current, name, value)
        if old != {name: getattr(current, name) for name in PROFILE_FIELDS}:
            current.save()
            _audit_fields(acting_user, AuditAction.ISSUER_PROFILE_UPDATE, current, old)
        return current
