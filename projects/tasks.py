"""Periodic work of the projects app."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import BudgetingRound, RoundStatus
from projects.services import round_publish_results

logger = logging.getLogger(__name__)


@shared_task
def publish_closed_rounds() -> int:
    """Publish the results of every open round whose voting has closed; safe to run any number of times."""
    published = 0
    due = BudgetingRound.objects.filter(status=RoundStatus.OPEN, closes_on__lt=timezone.localdate())
    for round_id in due.values_list("id", flat=True):
        try:
            round_publish_results(budgeting_round=BudgetingRound(pk=round_id), actor=None)
        except ValidationError as exc:  # another run got there first
            logger.info("Round %s not published: %s", round_id, exc)
            continue
        published += 1
    return published
