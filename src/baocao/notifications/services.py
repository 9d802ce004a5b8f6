"""Writing notifications. Called by the service that makes the change, inside its transaction:
the inbox rows are kept or lost with the change, and their e-mail is queued for the task worker
only when the transaction commits (`transaction.on_commit`), so a request never waits for a mail
server and a rolled-back change sends nothing.

Reading one's own inbox (marking rows read) is the user's own view state, like a session: it is
not written to the audit log. Changing one's e-mail preferences is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.core.errors import AppError
from baocao.notifications.choices import KINDS_BY_ROLE, NotificationKind
from baocao.notifications.models import Notification, NotificationPreference

MAX_TITLE = 300
MAX_BODY = 5000


def unit_users(*, unit_id: int | None, roles: Collection[str], email_kind: NotificationKind | None = None) -> list[User]:
    """The active users with one of `roles` whose unit is `unit_id` (admins of the unit included
    only when `roles` has ADMIN). With `email_kind`, whether each refuses e-mail of that kind is
    read in the same query, for notifications_create."""
    if unit_id is None:
        return []
    users = User.objects.filter(unit_id=unit_id, role__in=list(roles), is_active=True).order_by("pk")
    if email_kind is None:
        return list(users)
    refusal = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=email_kind, email=False)
    found: list[User] = list(users.annotate(refuses_email=Exists(refusal)))
    for user in found:
        user.refusal_read_for = email_kind  # type: ignore[attr-defined]
    return found


def unit_reporters(unit_id: int) -> list[User]:
    return unit_users(unit_id=unit_id, roles=[Role.REPORTER])


def _safe_path(url: str) -> str:
    """A path inside this site ("/submissions/5/"), never an absolute or protocol-relative URL."""
    url = (url or "").strip()
    if url and (not url.startswith("/") or url.startswith("//") or url.startswith("/\\") or "\n" in url):
        raise ValueError(f"A notification links to a path inside the site, not {url!r}")
    return url[:500]


def notifications_create(*, recipients: Iterable[User], kind: NotificationKind, title: str, body: str = "",
                         url: str = "", actor=None) -> list[Notification]:
    """One inbox row per recipient (the acting user and duplicates left out); the e-mails of
    those who want them are queued when the surrounding transaction commits.

    Must run inside the transaction of the change it reports (a programming error otherwise)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notifications_create runs inside the transaction of the change it reports")
    kind = NotificationKind(kind)
    url = _safe_path(url)
    people: dict[int, User] = {}
    for user in recipients:
        if user.is_active and (actor is None or user.pk != actor.pk):
            people.setdefault(user.pk, user)
    if not people:
        return []
    rows = Notification.objects.bulk_create([
        Notification(recipient_id=pk, kind=kind, title=title[:MAX_TITLE], body=body[:MAX_BODY], url=url)
        for pk in people
    ])
    if all(getattr(user, "refusal_read_for", None) == kind for user in people.values()):
        # read by unit_users(email_kind=kind)
        refused = {pk for pk, user in people.items() if getattr(user, "refuses_email", False)}
    else:
        refused = set(NotificationPreference.objects.filter(user_id__in=list(people), kind=kind, email=False)
                      .values_list("user_id", flat=True))
    to_mail = [n.pk for n in rows if n.pk is not None and people[n.recipient_id].email and n.recipient_id not in refused]
    if to_mail:
        transaction.on_commit(lambda: _enqueue_emails(to_mail))
    return rows


def _enqueue_emails(notification_ids: list[int]) -> None:
    from baocao.notifications.tasks import notification_emails_send

    notification_emails_send.enqueue(notification_ids=notification_ids)


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read (already read: unchanged)."""
    if notification.recipient_id != user.pk:
        raise AppError("Không tìm thấy thông báo.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def preference_kinds(user) -> tuple[NotificationKind, ...]:
    """The kinds the user's role can receive (superusers: the reviewers' ones)."""
    role = Role.ADMIN if user.is_superuser and user.role not in KINDS_BY_ROLE else user.role
    return KINDS_BY_ROLE.get(role, ())


def email_preferences(user) -> dict[str, bool]:
    """Kind -> whether the user gets e-mail for it (every kind of their role; no row means yes)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind.value: stored.get(kind.value, True) for kind in preference_kinds(user)}


def notification_preferences_set(*, user, email_kinds: Collection[str]) -> dict[str, bool]:
    """Set the kinds the user gets e-mail for (the other kinds of their role: inbox only)."""
    unknown = set(email_kinds) - set(NotificationKind.values)
    if unknown:
        raise AppError("Loại thông báo không hợp lệ.", {"unknown": sorted(unknown)})
    with transaction.atomic():
        before = email_preferences(user)
        after = {kind: kind in email_kinds for kind in before}
        for kind, wanted in after.items():
            if before[kind] != wanted:
                NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": wanted})
                audit_record(actor=user, action=AuditAction.NOTIFICATION_PREFERENCE, entity="user",
                             entity_id=user.pk, unit=user.unit, field=kind,
                             old="thư" if before[kind] else "không", new="thư" if wanted else "không")
        return after
