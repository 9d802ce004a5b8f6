"""Role predicates: what a user's role allows, whatever unit they belong to.

They read only the user (role, superuser flag, unit id), never the unit tree; where the user sits in
the tree, and so which units they see and manage, is `orgunits.scope`. Every app's selector starts
from the two together (`reporting.selectors.regimes_for_user`, `submissions.selectors.
submissions_for_user`, `cases_for_user`...).
"""

from __future__ import annotations

from baocao.accounts.choices import RECEIVER_ROLES, REVIEWER_ROLES, Role


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def has_receiver_scope(user) -> bool:
    return bool(user.is_authenticated and user.role in RECEIVER_ROLES and user.unit_id)


def can_review(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REVIEWER_ROLES))


def can_edit_unit_reports(user, unit_id: int) -> bool:
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.role == Role.REPORTER and user.unit_id == unit_id)
