"""Pages for organisation managers: register, edit, submit, dashboard, managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.web import add_service_errors, too_many, within_limit
from ngos import permissions, services
from ngos.forms import SECTION_ORDER, SECTIONS, InviteForm, OrganizationBasicForm, section_changes
from ngos.models import InvitationStatus, ManagerInvitation, Membership, Organization, OrganizationStatus


def managed_or_404(request, pk: int) -> Organization:
    """Every manager page starts from the organisations the user manages."""
    return get_object_or_404(permissions.organizations_managed_by(request.user).select_related("city"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    form = OrganizationBasicForm(request.POST or None)
    if request.method == "POST":
        if not within_limit(request, "ngo_register"):
            return too_many(request, "ngo_register", template="ngos/register.html", context={"form": form}, form=form)
        if form.is_valid():
            try:
                organization = services.organization_register(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The organisation is saved as a draft. Next: its licence."))
                return redirect("ngos:edit_section", pk=organization.pk, section="licence")
    return render(request, "ngos/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int, section: str = "basic"):
    organization = managed_or_404(request, pk)
    if section not in SECTIONS:
        raise Http404
    if not permissions.can_edit_organization(request.user, organization):
        raise PermissionDenied
    form_class, title = SECTIONS[section]
    form = form_class(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        was = organization.status
        try:
            organization = services.organization_update(
                user=request.user, organization=organization, changes=section_changes(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            if was == OrganizationStatus.VERIFIED and organization.status == OrganizationStatus.SUBMITTED:
                messages.warning(request, _("The licence changed, so staff will verify the profile again."))
            index = SECTION_ORDER.index(section)
            if "continue" in request.POST and index + 1 < len(SECTION_ORDER):
                return redirect("ngos:edit_section", pk=organization.pk, section=SECTION_ORDER[index + 1])
            return redirect("ngos:manage", pk=organization.pk)
    steps = [(name, SECTIONS[name][1]) for name in SECTION_ORDER]
    return render(
        request,
        "ngos/edit.html",
        {
            "organization": organization,
            "form": form,
            "section": section,
            "section_title": title,
            "steps": steps,
            "is_last": section == SECTION_ORDER[-1],
        },
    )


def _labelled(problems: dict[str, str]) -> list[tuple[str, str]]:
    labels = {"activities": _("Fields of activity")}
    return [
        (labels.get(field) or str(Organization._meta.get_field(field).verbose_name), message)
        for field, message in problems.items()
    ]


@login_required
def manage(request, pk: int):
    organization = managed_or_404(request, pk)
    history = organization.status_changes.select_related("actor").order_by("-created_at", "-id")
    return render(
        request,
        "ngos/manage.html",
        {
            "organization": organization,
            "problems": _labelled(services.submission_problems(organization))
            if organization.status == OrganizationStatus.DRAFT
            else [],
            "history": history,
            "can_edit": permissions.can_edit_organization(request.user, organization),
            "can_submit": permissions.can_submit_organization(request.user, organization),
        },
    )


@login_required
@require_POST
def submit(request, pk: int):
    organization = managed_or_404(request, pk)
    try:
        services.organization_submit(user=request.user, organization=organization)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        messages.error(request, _("The profile is not complete yet: see what is missing below."))
    else:
        messages.success(request, _("Submitted. Staff will review the registration and the licence."))
    return redirect("ngos:manage", pk=organization.pk)


@login_required
def dashboard(request):
    organizations = (
        permissions.organizations_managed_by(request.user).select_related("city").order_by("name_normalized")
    )
    invitations = ManagerInvitation.objects.filter(
        phone=request.user.phone, status=InvitationStatus.PENDING
    ).select_related("organization")
    return render(request, "ngos/dashboard.html", {"organizations": organizations, "invitations": invitations})


@login_required
@require_http_methods(["GET", "POST"])
def managers(request, pk: int):
    organization = managed_or_404(request, pk)
    can_manage = permissions.can_manage_managers(request.user, organization)
    form = InviteForm(request.POST or None)
    context = {
        "organization": organization,
        "memberships": organization.memberships.select_related("user"),
        "invitations": organization.invitations.filter(status=InvitationStatus.PENDING),
        "form": form,
        "can_manage": can_manage,
    }
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if not within_limit(request, "ngo_invite"):
            return too_many(request, "ngo_invite", template="ngos/managers.html", context=context, form=form)
        if form.is_valid():
            try:
                services.manager_invite(actor=request.user, organization=organization, phone=form.cleaned_data["phone"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Invitation sent. It waits for the holder of that number to accept."))
                return redirect("ngos:managers", pk=organization.pk)
    return render(request, "ngos/managers.html", context)


@login_required
@require_POST
def manager_remove(request, pk: int, membership_pk: int):
    organization = managed_or_404(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    try:
        services.manager_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The manager was removed."))
    if membership.user_id == request.user.pk and not permissions.is_manager(request.user, organization):
        return redirect("ngos:dashboard")
    return redirect("ngos:managers", pk=organization.pk)


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    organization = managed_or_404(request, pk)
    invitation = get_object_or_404(ManagerInvitation, pk=invitation_pk, organization=organization)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("ngos:managers", pk=organization.pk)


@login_required
@require_POST
def invitation_answer(request, invitation_pk: int, answer: str):
    invitation = get_object_or_404(ManagerInvitation, pk=invitation_pk, phone=request.user.phone)
    if answer not in {"accept", "decline"}:
        raise Http404
    try:
        if answer == "accept":
            services.invitation_accept(user=request.user, invitation=invitation)
            messages.success(request, _("You are now a manager of %(name)s.") % {"name": invitation.organization})
        else:
            services.invitation_decline(user=request.user, invitation=invitation)
            messages.info(request, _("Invitation declined."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("ngos:dashboard")
