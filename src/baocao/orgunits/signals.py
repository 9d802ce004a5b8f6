"""Signals of the unit tree, for the apps above this one.

`unit_paths_changed` is sent inside the writing transaction whenever units' materialised paths are
rewritten (a unit moved under another parent, districts moved by a reorganisation), after the new
paths are saved: what an app keeps per ancestor unit (analytics' aggregates) is rebuilt there.
"""

from django.dispatch import Signal

# kwargs: paths (the new path prefixes of the moved subtrees, a list of strings)
unit_paths_changed = Signal()
