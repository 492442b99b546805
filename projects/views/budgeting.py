"""Budgeting rounds: the list, a round's ballot and its published results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import MobileNotVerified
from core.web import add_service_errors, sign_in_redirect, signed_in_required
from projects.forms import BallotForm
from projects.models import Ballot, BudgetingRound, RoundStatus
from projects.permissions import ballot_denial_reason
from projects.services import ballot_submit, ballot_withdraw


def _public_rounds():
    return BudgetingRound.objects.filter(status__in=[RoundStatus.OPEN, RoundStatus.PUBLISHED]).select_related(
        "district__city", "cycle"
    )


@require_GET
def round_list_view(request):
    rounds = _public_rounds().order_by("-opens_on", "-id")
    return render(request, "projects/budgeting/list.html", {"rounds": rounds})


@require_http_methods(["GET", "POST"])
def round_detail_view(request, pk: int):
    budgeting_round = get_object_or_404(_public_rounds(), pk=pk)
    eligible = budgeting_round.eligible_projects.select_related("district").order_by("title", "id")
    ballot = None
    if request.user.is_authenticated:
        ballot = Ballot.objects.filter(round=budgeting_round, voter=request.user).prefetch_related("projects").first()
    initial = {"projects": [p.pk for p in ballot.projects.all()]} if ballot else None
    form = BallotForm(request.POST or None, eligible=eligible, initial=initial)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return sign_in_redirect(request)
        if form.is_valid():
            try:
                ballot_submit(
                    budgeting_round=budgeting_round, voter=request.user, projects=form.cleaned_data["projects"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except MobileNotVerified as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your ballot has been saved. You can change it until voting closes."))
                return redirect(budgeting_round.get_absolute_url())
    results = None
    if budgeting_round.status == RoundStatus.PUBLISHED:
        results = budgeting_round.results.select_related("project").order_by("rank")
    context = {
        "round": budgeting_round,
        "eligible": eligible,
        "form": form,
        "ballot": ballot,
        "results": results,
        "ballot_error": ballot_denial_reason(request.user, budgeting_round) if request.user.is_authenticated else None,
        "ballot_count": budgeting_round.ballots.count() if results is not None else None,
    }
    return render(request, "projects/budgeting/detail.html", context, status=400 if form.errors else 200)


@require_POST
@signed_in_required
def ballot_withdraw_view(request, pk: int):
    budgeting_round = get_object_or_404(_public_rounds(), pk=pk)
    try:
        ballot_withdraw(budgeting_round=budgeting_round, voter=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except MobileNotVerified as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your ballot has been withdrawn."))
    return redirect(budgeting_round.get_absolute_url())
