from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "baocao.analytics"
    label = "analytics"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Số liệu tổng hợp sẵn"

    def ready(self) -> None:
        # The apps below announce their writes with signals, sent inside their transactions; the
        # aggregates follow in the same transaction (a failure here rolls the write back).
        from baocao.analytics import services
        from baocao.orgunits.signals import unit_paths_changed
        from baocao.submissions.signals import submission_approved, submission_reopened

        submission_approved.connect(services.on_submission_approved, dispatch_uid="analytics.add_on_approve")
        submission_reopened.connect(services.on_submission_reopened, dispatch_uid="analytics.remove_on_reopen")
        unit_paths_changed.connect(services.on_unit_paths_changed, dispatch_uid="analytics.rebuild_on_move")
