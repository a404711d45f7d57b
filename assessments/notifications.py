from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.site import absolute_url


def send_invitation(request, invitation) -> None:
    """E-mail the one-time invitation link (in the inviter's language)."""
    link = absolute_url(reverse("assessments:invitation", args=[invitation.token]))
    context = {
        "invitation": invitation,
        "link": link,
        "privacy_link": absolute_url(reverse("privacy")),
        "inviter": request.user,
        "days": settings.INVITATION_VALID_DAYS,
    }
    subject = _("Invitation to %(name)s in the refugee inclusion toolkit") % {
        "name": invitation.organisation.name
    }
    send_mail(
        # One line whatever the name holds: a line break would start another mail header.
        subject=" ".join(subject.split()),
        message=render_to_string("assessments/email/invitation.txt", context, request=request),
        from_email=None,
        recipient_list=[invitation.email],
    )
