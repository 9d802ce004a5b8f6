"""Signals of units' reports, for the apps above this one.

`submission_approved` is sent by `services` (`submission_approve`, `submissions_approve_many`)
inside the approving transaction, after the status is saved: the figures kept ready for
consolidation (analytics, a layer above) add the report's values there.

`submission_reopened` is sent by `services.submission_reopen` inside its transaction: the
consolidated reports (consolidation, a layer above, which this app may not import) mark the
versions built from the reopened report out of date in their own service, connected in
`ConsolidationConfig.ready`. The receiver's writes are part of the reopening's transaction:
a failure there rolls the reopening back.
"""

from django.dispatch import Signal

# kwargs: submission (the reopened Submission), acting_user, reason
submission_reopened = Signal()
# kwargs: submission (the approved Submission), acting_user
submission_approved = Signal()
