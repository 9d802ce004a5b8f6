"""Every action an audit row may record, with its Vietnamese label for the history pages.

`audit_record` refuses any other value, so a new kind of change is added here first (a free string
in a service fails its tests). Values are "<entity>.<verb>" and are stored as they are: never
rename one that rows already carry.
"""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    # Units' reports
    SUBMISSION_CREATE = "submission.create", "lập báo cáo"
    SUBMISSION_SAVE = "submission.save", "sửa"
    SUBMISSION_SUBMIT = "submission.submit", "gửi báo cáo"
    SUBMISSION_RETURN = "submission.return", "trả lại báo cáo"
    SUBMISSION_APPROVE = "submission.approve", "duyệt báo cáo"
    SUBMISSION_REOPEN = "submission.reopen", "mở lại báo cáo đã duyệt"
    REMINDER_SEND = "reminder.send", "nhắc đơn vị gửi báo cáo"
    EXCHANGE_IMPORT = "exchange.import", "nhập dữ liệu hàng loạt"
    # Consolidated reports
    REPORT_BUILD = "report.build", "lập báo cáo tổng hợp"
    REPORT_EDIT = "report.edit", "sửa báo cáo tổng hợp"
    REPORT_RECOMPUTE = "report.recompute", "tính lại số liệu"
    REPORT_SEND = "report.send", "trình lãnh đạo phê duyệt báo cáo tổng hợp"
    REPORT_RETURN = "report.return", "trả lại báo cáo tổng hợp"
    REPORT_APPROVE = "report.approve", "phê duyệt báo cáo tổng hợp"
    REPORT_OUTDATE = "report.outdate", "đánh dấu báo cáo tổng hợp không còn khớp số liệu"
    REPORT_REGROUP = "report.regroup", "tách, gộp nhóm câu của các đơn vị"
    ANALYTICS_REBUILD = "analytics.rebuild", "dựng lại số liệu tổng hợp sẵn"
    TARGET_SET = "target.set", "đặt chỉ tiêu kế hoạch"
    OUTLINE_UPDATE = "outline.update", "sửa đề cương báo cáo"
    ISSUER_PROFILE_CREATE = "issuer_profile.create", "thêm thông tin cơ quan ban hành"
    ISSUER_PROFILE_UPDATE = "issuer_profile.update", "sửa thông tin cơ quan ban hành"
    ISSUER_PROFILE_DELETE = "issuer_profile.delete", "xóa thông tin cơ quan ban hành"
    # Regimes and forms
    REGIME_CREATE = "regime.create", "tạo chế độ báo cáo"
    REGIME_UPDATE = "regime.update", "sửa chế độ báo cáo"
    FORM_VERSION_CREATE = "form_version.create", "tạo phiên bản biểu mẫu"
    FORM_VERSION_PUBLISH = "form_version.publish", "ban hành phiên bản biểu mẫu"
    INDICATOR_UPDATE = "indicator.update", "sửa chỉ tiêu"
    RULE_CREATE = "rule.create", "thêm quy tắc kiểm tra"
    RULE_UPDATE = "rule.update", "sửa quy tắc kiểm tra"
    # Units
    ORGUNIT_CREATE = "orgunit.create", "thêm đơn vị"
    ORGUNIT_UPDATE = "orgunit.update", "sửa đơn vị"
    ORGUNIT_MOVE = "orgunit.move", "chuyển đơn vị cấp trên"
    ORGUNIT_CLOSE = "orgunit.close", "chấm dứt hiệu lực đơn vị"
    ORGUNIT_IMPORT_GSO = "orgunit.import_gso", "nhập danh mục hành chính"
    ORGUNIT_REORGANISE = "orgunit.reorganise", "sắp xếp đơn vị"
    REORG_CARRY = "reorg.carry", "chuyển giao sau sắp xếp đơn vị"
    GROUP_UPDATE = "group.update", "sửa nhóm đơn vị"
    # Users and access
    USER_CREATE = "user.create", "tạo người dùng"
    USER_UPDATE = "user.update", "sửa người dùng"
    USER_ROLE_CHANGE = "user.role_change", "đổi vai trò"
    USER_UNIT_CHANGE = "user.unit_change", "đổi đơn vị"
    USER_DEACTIVATE = "user.deactivate", "khóa người dùng"
    PASSWORD_CHANGE = "password.change", "đổi mật khẩu"
    PASSWORD_RESET = "password.reset", "đặt lại mật khẩu"
    API_TOKEN_CREATE = "api_token.create", "tạo khóa API"
    API_TOKEN_REVOKE = "api_token.revoke", "thu hồi khóa API"
    TOKEN_CREATE = "token.create", "tạo khóa API"
    TOKEN_REVOKE = "token.revoke", "thu hồi khóa API"
    NOTIFICATION_PREFERENCE = "notification.preference", "sửa cài đặt nhận thư thông báo"
    # Configuration edited in the admin (audit.modeladmin.AuditedAdmin): "<model>.<verb>"
    ORGUNITGROUP_CREATE = "orgunitgroup.create", "thêm nhóm đơn vị"
    ORGUNITGROUP_UPDATE = "orgunitgroup.update", "sửa nhóm đơn vị"
    ORGUNITGROUP_DELETE = "orgunitgroup.delete", "xóa nhóm đơn vị"
    TIMELIMITRULE_CREATE = "timelimitrule.create", "thêm thời hạn giải quyết"
    TIMELIMITRULE_UPDATE = "timelimitrule.update", "sửa thời hạn giải quyết"
    TIMELIMITRULE_DELETE = "timelimitrule.delete", "xóa thời hạn giải quyết"
    CASEINDICATOR_CREATE = "caseindicator.create", "thêm chỉ tiêu đếm từ sổ vụ việc"
    CASEINDICATOR_UPDATE = "caseindicator.update", "sửa chỉ tiêu đếm từ sổ vụ việc"
    CASEINDICATOR_DELETE = "caseindicator.delete", "xóa chỉ tiêu đếm từ sổ vụ việc"
    SECTOR_CREATE = "sector.create", "thêm lĩnh vực"
    SECTOR_UPDATE = "sector.update", "sửa lĩnh vực"
    SECTOR_DELETE = "sector.delete", "xóa lĩnh vực"
    FORM_CREATE = "form.create", "thêm biểu mẫu"
    FORM_UPDATE = "form.update", "sửa biểu mẫu"
    FORM_DELETE = "form.delete", "xóa biểu mẫu"
    FORMSECTION_CREATE = "formsection.create", "thêm phần biểu mẫu"
    FORMSECTION_UPDATE = "formsection.update", "sửa phần biểu mẫu"
    FORMSECTION_DELETE = "formsection.delete", "xóa phần biểu mẫu"
    NARRATIVEFIELD_CREATE = "narrativefield.create", "thêm mục nội dung"
    NARRATIVEFIELD_UPDATE = "narrativefield.update", "sửa mục nội dung"
    NARRATIVEFIELD_DELETE = "narrativefield.delete", "xóa mục nội dung"
    REPORTINGREGIME_CREATE = "reportingregime.create", "tạo chế độ báo cáo"
    REPORTINGREGIME_UPDATE = "reportingregime.update", "sửa chế độ báo cáo"
    REPORTINGREGIME_DELETE = "reportingregime.delete", "xóa chế độ báo cáo"
    GROUP_CREATE = "group.create", "thêm nhóm quyền"
    GROUP_DELETE = "group.delete", "xóa nhóm quyền"
    USER_PASSWORD = "user.password", "đặt mật khẩu"
    # Plans and tasks
    PLAN_CREATE = "plan.create", "ghi nhận kế hoạch"
    PLAN_UPDATE = "plan.update", "sửa kế hoạch"
    TASK_CREATE = "task.create", "giao nhiệm vụ"
    TASK_UPDATE = "task.update", "sửa nhiệm vụ"
    TASK_PROGRESS = "task.progress", "cập nhật tiến độ"
    TASK_COMMENT = "task.comment", "góp ý"
    TASK_DIGEST = "task.digest", "nhắc việc"
    # Conferences
    MEETING_CREATE = "meeting.create", "lập hội nghị"
    MEETING_UPDATE = "meeting.update", "sửa hội nghị"
    MEETING_ATTENDEE_ADD = "meeting.attendee_add", "thêm thành phần tham dự"
    MEETING_ATTENDEE_REMOVE = "meeting.attendee_remove", "bỏ thành phần tham dự"
    MEETING_AGENDA_ADD = "meeting.agenda_add", "thêm mục chương trình"
    MEETING_AGENDA_REMOVE = "meeting.agenda_remove", "bỏ mục chương trình"
    MEETING_OPINION_ADD = "meeting.opinion_add", "ghi ý kiến phát biểu"
    MEETING_OPINION_REMOVE = "meeting.opinion_remove", "bỏ ý kiến phát biểu"
    MEETING_CONCLUSION_ADD = "meeting.conclusion_add", "ghi kết luận"
    MEETING_CONCLUSION_REMOVE = "meeting.conclusion_remove", "bỏ kết luận"
    MEETING_CONCLUSION_TASKS = "meeting.conclusion_tasks", "giao nhiệm vụ từ kết luận"
    MEETING_ARTICLE_EDIT = "meeting.article_edit", "sửa bài viết"
    # Cases
    CASE_CREATE = "case.create", "ghi sổ"
    CASE_UPDATE = "case.update", "sửa"
    CASE_ACCEPT = "case.accept", "thụ lý"
    CASE_EXTEND = "case.extend", "gia hạn"
    CASE_RESOLVE = "case.resolve", "giải quyết"
    CASE_REFUSE = "case.refuse", "không thụ lý"
    CASE_FORWARD = "case.forward", "chuyển đơn"
    CASE_ATTACHMENT = "case.attachment", "đính kèm tài liệu"
    CASE_DIGEST = "case.digest", "nhắc hạn vụ việc"


def audit_action(value: str) -> AuditAction:
    """The action named `value`; a value not listed above is a programming error."""
    try:
        return AuditAction(value)
    except ValueError:
        raise ValueError(f"Unknown audit action {value!r}: add it to baocao.audit.actions.AuditAction.") from None
