from django.apps import AppConfig


class ConsolidationConfig(AppConfig):
    name = "baocao.consolidation"
    label = "consolidation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A unit's report reopened after approval makes the versions that counted it out of date;
        # submissions (below) announces it with a signal, the marking is this app's service.
        from baocao.consolidation.services import _on_submission_reopened
        from baocao.submissions.signals import submission_reopened

        submission_reopened.connect(_on_submission_reopened, dispatch_uid="consolidation.outdate_on_reopen")
