"""What an HTMX rating save returns; the practice page renders the same through tags."""

from django.utils.translation import gettext as _

from toolkit_site.save_state import progress_line, save_state


def rating_state(key: str, rating, just_saved=False):
    """An indicator's state line: its rating's version, "Saved at …", who changed it last."""
    if rating is None:
        return save_state(key, 0, None, None)
    by = rating.updated_by
    return save_state(
        key, rating.version, rating.updated_at, by and by.email, just_saved=just_saved
    )


def practice_progress(result, oob=False):
    """A practice's progress line, `result` being its `scoring.Result`."""
    return rating_progress(result.overall.rated, result.overall.total, oob=oob)


def rating_progress(rated: int, total: int, oob=False):
    """A practice's progress line: `rated` of its `total` current indicators."""
    text = _("Rated %(rated)s of %(total)s indicators.") % {"rated": rated, "total": total}
    return progress_line("practice-progress", text, rated, total, oob=oob)
