"""The inbox (`/notifications/`), opening one notification, marking all read, and the e-mail
preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baocao.accounts.http import AppRequest
from baocao.core.listing import page_param
from baocao.notifications.choices import NotificationKind
from baocao.notifications.selectors import notification_get_for_user, notification_list
from baocao.notifications.services import (
    email_preferences,
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)

PAGE_SIZE = 30
KIND_LABELS = dict(NotificationKind.choices)


@login_required
def inbox(request: AppRequest):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_list(user=request.user, unread=unread_only), PAGE_SIZE).get_page(page_param(request))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only,
                                                         "kind_labels": KIND_LABELS})


@login_required
def notification_open(request: AppRequest, notification_id: int):
    """Mark the notification read and go where it points (the inbox when it points nowhere)."""
    notification = notification_get_for_user(user=request.user, notification_id=notification_id)
    notification_mark_read(notification=notification, user=request.user)
    return redirect(notification.url or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: AppRequest):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc." if count else "Không còn thông báo chưa đọc.")
    return redirect("notifications:inbox")


@login_required
def preferences(request: AppRequest):
    if request.method == "POST":
        notification_preferences_set(user=request.user, email_kinds=set(request.POST.getlist("email")))
        messages.success(request, "Đã lưu cài đặt thông báo.")
        return redirect("notifications:preferences")
    rows = [{"kind": kind, "label": KIND_LABELS[kind], "email": email}
            for kind, email in email_preferences(request.user).items()]
    return render(request, "notifications/preferences.html", {"rows": rows})
