"""Our own error pages, rendered in the request's language, never with a stack trace."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: say what to do, in the user's language."""
    response = render(request, "403_csrf.html", status=403)
    # An HTMX save shows its own short message for this case (static/js/app.js).
    response["X-Error-Reason"] = "csrf"
    return response
