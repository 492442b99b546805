"""Plans an organisation submits, and the meetings the municipality holds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.web import add_service_errors
from ngos import permissions, services
from ngos.forms import PlanForm, RsvpForm
from ngos.models import Meeting, MeetingRsvp, Organization, OrganizationStatus, Plan
from ngos.views.manage import managed_or_404


@login_required
def organization_plans(request, pk: int):
    organization = managed_or_404(request, pk)
    plans = organization.plans.prefetch_related("target_neighborhoods").order_by("-submitted_at")
    return render(
        request,
        "ngos/plans.html",
        {
            "organization": organization,
            "plans": plans,
            "can_submit": permissions.can_submit_plan(request.user, organization),
        },
    )


def _plan_data(form: PlanForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "target_neighborhoods": data["target_neighborhoods"],
        "estimated_budget": data["estimated_budget"],
        "attachment": data.get("attachment"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, pk: int):
    organization = managed_or_404(request, pk)
    if not permissions.can_submit_plan(request.user, organization):
        raise PermissionDenied
    form = PlanForm(request.POST or None, request.FILES or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_submit(actor=request.user, organization=organization, **_plan_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was sent to the municipality."))
            return redirect("ngos:plan_detail", plan_pk=plan.pk)
    return render(request, "ngos/plan_form.html", {"organization": organization, "form": form})


def _visible_plan(request, plan_pk: int) -> Plan:
    plan = get_object_or_404(
        Plan.objects.select_related("organization", "reviewed_by").prefetch_related("target_neighborhoods"),
        pk=plan_pk,
    )
    if not permissions.can_view_plan(request.user, plan):
        raise Http404
    return plan


@login_required
def plan_detail(request, plan_pk: int):
    plan = _visible_plan(request, plan_pk)
    return render(
        request,
        "ngos/plan_detail.html",
        {
            "plan": plan,
            "organization": plan.organization,
            "can_resubmit": permissions.can_resubmit_plan(request.user, plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_pk: int):
    plan = _visible_plan(request, plan_pk)
    if not permissions.can_resubmit_plan(request.user, plan):
        raise PermissionDenied
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan, organization=plan.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_resubmit(actor=request.user, plan=plan, **_plan_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was sent again."))
            return redirect("ngos:plan_detail", plan_pk=plan.pk)
    return render(request, "ngos/plan_form.html", {"organization": plan.organization, "form": form, "plan": plan})


# --- meetings -------------------------------------------------------------------
@require_GET
def meetings(request):
    now = timezone.now()
    base = Meeting.objects.select_related("city", "district")
    upcoming = base.filter(starts_at__gte=now).order_by("starts_at")[:50]
    past = Paginator(base.filter(starts_at__lt=now).order_by("-starts_at"), 20).get_page(request.GET.get("page"))
    return render(request, "ngos/meetings.html", {"upcoming": upcoming, "page_obj": past, "past": past.object_list})


def _rsvp_organizations(user, meeting: Meeting):
    """The organisations this user may answer for at this meeting."""
    candidates = permissions.organizations_managed_by(user).filter(
        status=OrganizationStatus.VERIFIED, city_id=meeting.city_id
    )
    if meeting.district_id:
        candidates = candidates.filter(districts=meeting.district_id)
    if meeting.starts_at <= timezone.now():
        return Organization.objects.none()
    return candidates.order_by("name_normalized")


@require_GET
def meeting_detail(request, meeting_pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("city", "district"), pk=meeting_pk)
    organizations = _rsvp_organizations(request.user, meeting)
    answers = MeetingRsvp.objects.filter(meeting=meeting, organization__in=organizations).select_related("organization")
    form = RsvpForm(organizations=organizations) if organizations.exists() else None
    return render(request, "ngos/meeting_detail.html", {"meeting": meeting, "form": form, "answers": answers})


@login_required
@require_POST
def meeting_rsvp(request, meeting_pk: int):
    meeting = get_object_or_404(Meeting, pk=meeting_pk)
    organizations = _rsvp_organizations(request.user, meeting)
    if not organizations.exists():
        raise PermissionDenied
    form = RsvpForm(request.POST, organizations=organizations)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation and an answer."))
        return redirect("ngos:meeting_detail", meeting_pk=meeting.pk)
    try:
        services.meeting_rsvp(
            actor=request.user,
            meeting=meeting,
            organization=form.cleaned_data["organization"],
            response=form.cleaned_data["response"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your answer was saved."))
    return redirect("ngos:meeting_detail", meeting_pk=meeting.pk)
