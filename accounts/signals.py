"""What the apps above accounts hear about a person, so that each can add or remove what it
holds about them (the account pages live in `reporting`, below apps such as `networks`).

- `own_data_requested(sender, user)`: a receiver returns a dict of sections for the person's
  own-data export (`reporting.own_data.own_data_document`).
- `account_deleting(sender, user)`: sent inside the deletion's transaction, before the account
  is anonymised; a receiver removes what it keeps about the person.
"""

from django.dispatch import Signal

own_data_requested = Signal()
account_deleting = Signal()
