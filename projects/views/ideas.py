"""Citizen ideas: open rounds, the submission form and the citizen's own ideas with their outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.web import add_service_errors, signed_in_required, too_many, within_limit
from projects.forms import IdeaForm
from projects.models import Idea, IdeaRound
from projects.services import idea_submit


@require_GET
def idea_index_view(request):
    today = timezone.localdate()
    rounds = IdeaRound.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("city")
    mine = None
    if request.user.is_authenticated:
        mine = (
            Idea.objects.filter(author=request.user)
            .select_related("round", "neighborhood", "project")
            .order_by("-created_at")
        )
    return render(request, "projects/ideas/index.html", {"rounds": rounds, "mine": mine})


@require_http_methods(["GET", "POST"])
@signed_in_required
def idea_submit_view(request, round_id: int):
    idea_round = get_object_or_404(IdeaRound.objects.select_related("city"), pk=round_id)
    if not idea_round.is_open():
        messages.error(request, _("This idea round is not open."))
        return redirect("projects:ideas")
    form = IdeaForm(request.POST or None, request.FILES or None, city_id=idea_round.city_id)
    if request.method == "POST":
        if not within_limit(request, "project_idea"):
            return too_many(
                request, "project_idea", template="projects/ideas/submit.html", context={"round": idea_round}, form=form
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea_submit(
                    idea_round=idea_round,
                    author=request.user,
                    neighborhood=data["neighborhood"],
                    title=data["title"],
                    description=data["description"],
                    photo=data.get("photo"),
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you. Your idea has been sent to the municipality's experts."))
                return redirect("projects:ideas")
    return render(request, "projects/ideas/submit.html", {"form": form, "round": idea_round})
