"""What the rounds tell the layers above them, which assessments must not import.

Both are sent once the change is committed, with `round` (the round, as it was saved).
"""

from django.dispatch import Signal

round_closed = Signal()
round_reopened = Signal()
