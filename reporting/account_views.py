"""A member's own data and account: take it all out as JSON, or delete the account.

The pages' addresses are under /<lang>/accounts/; they live here because they read and touch
the records of assessments, surveys and practices (`own_data`).
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.forms import PasswordConfirmForm
from assessments.models import Membership

from .own_data import account_delete, own_data_document


@never_cache
@login_required
def own_data_export(request):
    """Everything the tool holds about the signed-in person, as a JSON download."""
    response = JsonResponse(
        own_data_document(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@login_required
def own_account_delete(request):
    """GET: what deleting the account does; POST with the password: delete it and log out."""
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect("content:home")
    organisations = [
        m.organisation.name
        for m in Membership.objects.filter(user=request.user).select_related("organisation")
    ]
    return render(
        request,
        "registration/account_delete.html",
        {"form": form, "organisations": organisations},
        status=400 if form.errors else 200,
    )
