from django.db import models

from baocao.accounts.choices import Role


class NotificationKind(models.TextChoices):
    """What a notification tells; each kind has its own e-mail preference."""

    SUBMISSION_SUBMITTED = "submission_submitted", "Đơn vị gửi báo cáo"
    SUBMISSION_RESUBMITTED = "submission_resubmitted", "Đơn vị gửi lại báo cáo đã sửa"
    SUBMISSION_RETURNED = "submission_returned", "Báo cáo của đơn vị bị trả lại"
    SUBMISSION_APPROVED = "submission_approved", "Báo cáo của đơn vị được duyệt"
    SUBMISSION_REOPENED = "submission_reopened", "Báo cáo đã duyệt được mở lại"
    SUBMISSION_REMINDER = "submission_reminder", "Nhắc đơn vị gửi báo cáo"
    REPORT_SENT = "report_sent", "Báo cáo tổng hợp trình lãnh đạo phê duyệt"
    REPORT_APPROVED = "report_approved", "Báo cáo tổng hợp được phê duyệt"
    REPORT_RETURNED = "report_returned", "Báo cáo tổng hợp bị trả lại"


_UNIT_REPORTER = (NotificationKind.SUBMISSION_RETURNED, NotificationKind.SUBMISSION_APPROVED,
                  NotificationKind.SUBMISSION_REOPENED, NotificationKind.SUBMISSION_REMINDER)
_REVIEWER = (NotificationKind.SUBMISSION_SUBMITTED, NotificationKind.SUBMISSION_RESUBMITTED)
_COMPILER = (NotificationKind.REPORT_APPROVED, NotificationKind.REPORT_RETURNED)

# The kinds each role can receive (the preferences page lists only these).
KINDS_BY_ROLE: dict[str, tuple[NotificationKind, ...]] = {
    Role.REPORTER: _UNIT_REPORTER,
    Role.COMPILER: _REVIEWER + _COMPILER,
    Role.LEADER: _REVIEWER + (NotificationKind.REPORT_SENT,),
    Role.ADMIN: _REVIEWER,
    Role.INSPECTORATE: (),
    Role.VIEWER: (),
}
