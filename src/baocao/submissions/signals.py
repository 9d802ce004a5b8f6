"""Signals of units' reports, for the apps above this one.

`submission_reopened` is sent by `services.submission_reopen` inside its transaction: the
consolidated reports (consolidation, a layer above, which this app may not import) mark the
versions built from the reopened report out of date in their own service, connected in
`ConsolidationConfig.ready`. The receiver's writes are part of the reopening's transaction:
a failure there rolls the reopening back.
"""

from django.dispatch import Signal

# kwargs: submission (the reopened Submission), acting_user, reason
submission_reopened = Signal()
