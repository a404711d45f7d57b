from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _


def send_invitation(request, invitation) -> None:
    """E-mail the one-time invitation link (in the inviter's language)."""
    link = request.build_absolute_uri(reverse("assessments:invitation", args=[invitation.token]))
    context = {
        "invitation": invitation,
        "link": link,
        "inviter": request.user,
        "days": settings.INVITATION_VALID_DAYS,
    }
    send_mail(
        subject=_("Invitation to %(name)s in the refugee inclusion toolkit")
        % {"name": invitation.organisation.name},
        message=render_to_string("assessments/email/invitation.txt", context, request=request),
        from_email=None,
        recipient_list=[invitation.email],
    )
