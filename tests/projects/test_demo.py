import io
import time

import pytest

from projects.models import (
    BudgetingRound,
    Comment,
    CommentStatus,
    Idea,
    IdeaStatus,
    Phase,
    Project,
    RoundStatus,
    Support,
)

pytestmark = pytest.mark.django_db


def test_demo_seed_is_rich_fast_and_idempotent():
    from accounts import demo as accounts_demo
    from places import demo as places_demo
    from projects import demo

    out = io.StringIO()
    places_demo.seed(out)
    accounts_demo.seed(out)
    started = time.monotonic()
    demo.seed(out)
    assert time.monotonic() - started < 30
    counts = (Project.objects.count(), Comment.objects.count(), Support.objects.count())
    assert counts[0] >= 200
    assert set(Project.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert Project.objects.values("district").distinct().count() >= 10
    assert Project.objects.values("category").distinct().count() >= 8
    assert Comment.objects.filter(status=CommentStatus.PENDING).exists()
    assert Comment.objects.filter(status=CommentStatus.HIDDEN, flags__isnull=False).exists()
    open_rounds = BudgetingRound.objects.filter(status=RoundStatus.OPEN)
    assert open_rounds.count() == 2
    assert open_rounds.values("cycle").distinct().count() == 1  # opened together: one ballot across both
    assert open_rounds.values("district").distinct().count() == 2
    for project in Project.objects.all()[:50]:
        assert project.support_count == project.supports.count()
        assert project.comment_count == project.comments.filter(status=CommentStatus.PUBLISHED).count()
    assert Idea.objects.filter(status=IdeaStatus.SUBMITTED).count() >= 3  # the staff's review queue has work
    ideas = Idea.objects.count()
    demo.seed(out)
    assert (Project.objects.count(), Comment.objects.count(), Support.objects.count()) == counts
    assert Idea.objects.count() == ideas
