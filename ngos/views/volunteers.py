"""The volunteer club: opportunities, profiles, applications and the managers' side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.ratelimit import TOO_MANY_MESSAGE
from core.web import add_service_errors, within_limit
from ngos import permissions, services
from ngos.filters import OpportunityFilter
from ngos.forms import ApplyForm, OpportunityForm, VolunteerProfileForm
from ngos.models import Application, Opportunity, VolunteerProfile
from ngos.views.manage import managed_or_404


def _opportunities():
    return Opportunity.objects.public().with_taken_places().select_related("organization", "district")


@require_GET
def opportunity_list(request):
    filterset = OpportunityFilter(request.GET, queryset=_opportunities().order_by("date", "id"), request=request)
    page = Paginator(filterset.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "ngos/volunteer/opportunities.html",
        {"filter": filterset, "page_obj": page, "opportunities": page.object_list},
    )


@require_GET
def opportunity_detail(request, opportunity_pk: int):
    opportunity = get_object_or_404(_opportunities(), pk=opportunity_pk)
    application = None
    has_profile = False
    if request.user.is_authenticated:
        application = Application.objects.filter(opportunity=opportunity, volunteer=request.user).first()
        has_profile = VolunteerProfile.objects.filter(user=request.user).exists()
    return render(
        request,
        "ngos/volunteer/opportunity.html",
        {
            "opportunity": opportunity,
            "application": application,
            "has_profile": has_profile,
            "form": ApplyForm(),
            "is_manager": permissions.can_manage_opportunity(request.user, opportunity),
        },
    )


@login_required
@require_POST
def apply(request, opportunity_pk: int):
    opportunity = get_object_or_404(Opportunity.objects.public(), pk=opportunity_pk)
    form = ApplyForm(request.POST)
    if not within_limit(request, "volunteer_apply"):
        # The form sits on the opportunity's page: back there, with the reason on top.
        messages.error(request, TOO_MANY_MESSAGE)
    elif form.is_valid():
        try:
            services.application_apply(user=request.user, opportunity=opportunity, message=form.cleaned_data["message"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You have applied. The organisation will accept or decline."))
    return redirect("ngos:opportunity", opportunity_pk=opportunity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = VolunteerProfile.objects.filter(user=request.user).first()
    form = VolunteerProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_profile_save(
                user=request.user,
                skills=form.cleaned_data["skills"],
                districts=form.cleaned_data["districts"],
                availability=form.cleaned_data["availability"],
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("ngos:volunteer_profile")
    return render(request, "ngos/volunteer/profile.html", {"form": form, "profile": instance})


@login_required
def my_applications(request):
    applications = (
        Application.objects.filter(volunteer=request.user)
        .select_related("opportunity__organization")
        .order_by("-created_at")
    )
    return render(request, "ngos/volunteer/applications.html", {"applications": applications})


@login_required
@require_POST
def withdraw(request, application_pk: int):
    application = get_object_or_404(Application, pk=application_pk, volunteer=request.user)
    try:
        services.application_withdraw(user=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You withdrew your application."))
    return redirect("ngos:my_applications")


# --- the organisation's side ----------------------------------------------------------
@login_required
def organization_opportunities(request, pk: int):
    organization = managed_or_404(request, pk)
    applications = Application.objects.select_related("volunteer__volunteer_profile").order_by("created_at")
    opportunities = (
        organization.opportunities.with_taken_places()
        .prefetch_related(Prefetch("applications", queryset=applications))
        .order_by("-date")
    )
    return render(
        request,
        "ngos/volunteer/manage.html",
        {
            "organization": organization,
            "opportunities": opportunities,
            "can_post": permissions.can_post_opportunity(request.user, organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_new(request, pk: int):
    organization = managed_or_404(request, pk)
    if not permissions.can_post_opportunity(request.user, organization):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_post(actor=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The opportunity is published in the volunteer club."))
            return redirect("ngos:opportunities", pk=organization.pk)
    return render(request, "ngos/volunteer/opportunity_form.html", {"organization": organization, "form": form})


@login_required
@require_POST
def close(request, opportunity_pk: int):
    opportunity = get_object_or_404(Opportunity.objects.select_related("organization"), pk=opportunity_pk)
    if not permissions.can_manage_opportunity(request.user, opportunity):
        raise Http404
    services.opportunity_close(actor=request.user, opportunity=opportunity)
    messages.success(request, _("The opportunity is closed to new applications."))
    return redirect("ngos:opportunities", pk=opportunity.organization_id)


@login_required
@require_POST
def decide(request, application_pk: int, decision: str):
    if decision not in {"accept", "decline"}:
        raise Http404
    application = get_object_or_404(Application.objects.select_related("opportunity__organization"), pk=application_pk)
    if not permissions.is_manager(request.user, application.opportunity.organization):
        raise Http404
    try:
        services.application_decide(actor=request.user, application=application, accept=decision == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The volunteer's application was answered."))
    return redirect("ngos:opportunities", pk=application.opportunity.organization_id)
