"""Networks' pages: 404 for anyone who is not a coordinator of the network, as organisations'
pages are for non-members; figures only, never texts (networks.figures)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import member_required
from core import throttle
from core.site import absolute_url

from . import services
from .exports import network_xlsx
from .figures import network_figures
from .forms import InviteForm, JoinForm, NetworkForm
from .models import Network, NetworkInvitation, NetworkMember


def _coordinated(request, slug) -> Network:
    return get_object_or_404(Network, slug=slug, coordinators=request.user)


def _open_invitations(user):
    return NetworkInvitation.objects.filter(
        email__iexact=user.email, answered_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("network")


@member_required
def network_list(request):
    organisations = services.coordinated_organisations(request.user)
    return render(
        request,
        "networks/list.html",
        {
            "coordinated": request.user.coordinated_networks.annotate(
                organisations=Count("members")
            ),
            "joined": NetworkMember.objects.filter(organisation__in=organisations)
            .select_related("network", "organisation")
            .order_by("network__name", "organisation__name"),
            "invitations": list(_open_invitations(request.user)) if organisations else [],
            "form": NetworkForm(),
        },
    )


@member_required
def network_create(request):
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network = services.network_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("The network was created. Now invite organisations."))
        return redirect(network)
    return render(request, "networks/create.html", {"form": form})


def _send_invitation(request, invitation) -> None:
    link = absolute_url(reverse("networks:invitation", args=[invitation.token]))
    context = {"invitation": invitation, "link": link, "inviter": request.user}
    subject = _("Invitation to the network %(name)s") % {"name": invitation.network.name}
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string("networks/email/invitation.txt", context, request=request),
        from_email=None,
        recipient_list=[invitation.email],
    )


@member_required
def network_detail(request, slug):
    network = _coordinated(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and throttle.over_limit(request, "invitation", throttle.INVITATION):
            form.add_error(None, throttle.TOO_MANY)
        elif form.is_valid():
            invitation = services.network_invite(
                network=network, email=form.cleaned_data["email"], user=request.user
            )
            _send_invitation(request, invitation)
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect(network)
    pending = network.invitations.filter(answered_at__isnull=True, expires_at__gt=timezone.now())
    return render(
        request,
        "networks/detail.html",
        {
            "network": network,
            "figures": network_figures(network),
            "form": form,
            "pending": pending,
        },
    )


@member_required
def network_export(request, slug):
    network = _coordinated(request, slug)
    response = HttpResponse(
        network_xlsx(network, network_figures(network)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{network.slug}.xlsx"'
    return response


@member_required
def invitation(request, token):
    invitation = (
        NetworkInvitation.objects.select_related("network", "invited_by")
        .filter(token=token, email__iexact=request.user.email)
        .first()
    )
    if invitation is None:
        raise Http404
    organisations = services.coordinated_organisations(request.user)
    form = JoinForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        try:
            if "decline" in request.POST:
                services.invitation_decline(token=token, user=request.user)
                messages.success(request, _("You declined the invitation."))
                return redirect("networks:list")
            if form.is_valid():
                services.invitation_accept(
                    token=token, user=request.user, organisation=form.cleaned_data["organisation"]
                )
                messages.success(
                    request,
                    _("Your organisation joined the network: %(network)s.")
                    % {"network": invitation.network.name},
                )
                return redirect("networks:list")
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "networks/invitation.html",
        {"invitation": invitation, "form": form, "organisations": organisations},
    )


@member_required
def network_leave(request, slug, org_slug):
    member = get_object_or_404(
        NetworkMember.objects.select_related("network", "organisation"),
        network__slug=slug,
        organisation__slug=org_slug,
        organisation__in=services.coordinated_organisations(request.user),
    )
    if request.method == "POST":
        services.network_leave(
            network=member.network, organisation=member.organisation, user=request.user
        )
        messages.success(
            request,
            _("Your organisation left the network: %(network)s. It sees nothing of it any more.")
            % {"network": member.network.name},
        )
        return redirect("networks:list")
    return render(request, "networks/leave.html", {"member": member})
