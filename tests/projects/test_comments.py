import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit import history
from core.text import clean_text
from projects.models import CommentStatus, FlaggedWord
from projects.moderation import find_flagged_words
from projects.services import (
    comment_delete,
    comment_edit,
    comment_flag,
    comment_moderate,
    comment_post,
)
from tests import factories
from tests.projects.conftest import HTMX

pytestmark = pytest.mark.django_db


def _page(client, project) -> str:
    return client.get(f"/projects/{project.pk}/").content.decode()


# --- moderation policies, end to end ---------------------------------------------
def test_pre_moderation_comment_waits_for_approval_then_shows(
    client_for, client, project, citizen, district_staff, stranger
):
    author = client_for(citizen)
    response = author.post(f"/projects/{project.pk}/comments/", {"text": "پیشنهاد خوبی است"})
    assert response.status_code == 302
    comment = project.comments.get()
    assert comment.status == CommentStatus.PENDING
    page = _page(author, project)
    assert "پیشنهاد خوبی است" in page and "در انتظار بازبینی" in page  # the author sees it, marked
    client.logout()
    assert "پیشنهاد خوبی است" not in _page(client, project)  # nobody else does
    project.refresh_from_db()
    assert project.comment_count == 0

    comment_moderate(comment=comment, actor=district_staff, approve=True)
    client.logout()
    assert "پیشنهاد خوبی است" in _page(client, project)
    project.refresh_from_db()
    assert project.comment_count == 1
    assert [e.action for e in history(comment)] == ["comment.approved"]


def test_rejected_comment_shows_its_reason_to_the_author_only(client_for, client, project, citizen, district_staff):
    comment = comment_post(project=project, author=citizen, text="متن")
    comment_moderate(comment=comment, actor=district_staff, approve=False, reason="خارج از موضوع")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert comment.moderated_by == district_staff and comment.moderation_reason == "خارج از موضوع"
    page = _page(client_for(citizen), project)
    assert "خارج از موضوع" in page and "رد کرد" in page
    client.logout()
    assert "خارج از موضوع" not in _page(client, project)


def test_reject_needs_a_reason(project, citizen, district_staff):
    comment = comment_post(project=project, author=citizen, text="متن")
    with pytest.raises(ValidationError) as err:
        comment_moderate(comment=comment, actor=district_staff, approve=False, reason="  ")
    assert "reason" in err.value.message_dict
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_post_moderation_publishes_at_once(client, client_for, project, citizen, post_moderation):
    client_for(citizen).post(f"/projects/{project.pk}/comments/", {"text": "عالی است"})
    client.logout()
    assert "عالی است" in _page(client, project)
    project.refresh_from_db()
    assert project.comment_count == 1


def test_post_moderation_holds_auto_flagged_comments(project, citizen, post_moderation):
    comment = comment_post(project=project, author=citizen, text="این طرح احمقانه نیست ولی مدیرش احمق است")
    assert comment.auto_flagged and comment.status == CommentStatus.PENDING
    clean = comment_post(project=project, author=citizen, text="احمقانه نیست")  # not a whole-word match
    assert not clean.auto_flagged and clean.status == CommentStatus.PUBLISHED


def test_pre_moderation_marks_auto_flagged_comments_for_moderators(project, citizen):
    comment = comment_post(project=project, author=citizen, text="آدم بي‌شعور")  # Arabic ي and a ZWNJ
    assert comment.auto_flagged and comment.status == CommentStatus.PENDING


def test_word_list_matches_normalised_words_and_phrases(district):
    city = district.city
    FlaggedWord.objects.create(city=city, word="كلمه ممنوع")  # Arabic kaf, two words
    assert find_flagged_words("این یک کلمه   ممنوع است", city) == ["کلمه ممنوع"]
    assert find_flagged_words("احمق!", city) == ["احمق"]
    assert find_flagged_words("کلمه‌ای ممنوعه", city) == []
    assert find_flagged_words("خرید خرما", city) == []


# --- replies, edit window, delete ---------------------------------------------------
def test_replies_are_one_level_deep(project, citizen, stranger, post_moderation):
    top = comment_post(project=project, author=citizen, text="اصلی")
    reply = comment_post(project=project, author=stranger, text="پاسخ", parent=top)
    assert reply.parent == top
    with pytest.raises(ValidationError) as err:
        comment_post(project=project, author=citizen, text="پاسخ به پاسخ", parent=reply)
    assert "parent" in err.value.message_dict


def test_cannot_reply_to_a_pending_comment_or_across_projects(project, other_project, citizen, stranger):
    pending = comment_post(project=project, author=citizen, text="اصلی")
    with pytest.raises(ValidationError):
        comment_post(project=project, author=stranger, text="x", parent=pending)
    published = factories.CommentFactory(project=other_project)
    with pytest.raises(ValidationError):
        comment_post(project=project, author=stranger, text="x", parent=published)


def test_edit_within_the_window_only(project, citizen, stranger, post_moderation, settings):
    comment = comment_post(project=project, author=citizen, text="نسخه اول")
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, actor=stranger, text="دستکاری")
    edited = comment_edit(comment=comment, actor=citizen, text="نسخه دوم")
    assert edited.text == "نسخه دوم" and edited.edited_at is not None
    assert edited.status == CommentStatus.PUBLISHED
    comment.created_at = timezone.now() - dt.timedelta(minutes=16)
    comment.save(update_fields=["created_at"])
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, actor=citizen, text="دیر")
    settings.PROJECT_COMMENT_EDIT_MINUTES = 30
    assert comment_edit(comment=comment, actor=citizen, text="با پنجره بلندتر").text == "با پنجره بلندتر"


def test_editing_a_published_comment_under_pre_moderation_sends_it_back(project, citizen, district_staff):
    comment = comment_post(project=project, author=citizen, text="اول")
    comment_moderate(comment=comment, actor=district_staff, approve=True)
    project.refresh_from_db()
    assert project.comment_count == 1
    comment_edit(comment=comment, actor=citizen, text="دوم")
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.status == CommentStatus.PENDING and project.comment_count == 0


def test_edit_page(client_for, project, citizen, post_moderation):
    comment = comment_post(project=project, author=citizen, text="اول")
    client = client_for(citizen)
    url = f"/projects/{project.pk}/comments/{comment.pk}/edit/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": ""}).status_code == 200  # form error, nothing saved
    comment.refresh_from_db()
    assert comment.text == "اول"
    assert client.post(url, {"text": "دوم"}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "دوم"


def test_delete_own_comment_only(client_for, project, citizen, stranger, post_moderation):
    comment = comment_post(project=project, author=citizen, text="حذف شود")
    reply = comment_post(project=project, author=stranger, text="پاسخ ماندگار", parent=comment)
    url = f"/projects/{project.pk}/comments/{comment.pk}/delete/"
    assert client_for(stranger).post(url).status_code == 403
    assert client_for(citizen).post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED and comment.text == ""
    project.refresh_from_db()
    assert project.comment_count == 1  # the reply
    page = _page(client_for(citizen), project)
    assert "نویسنده‌اش حذف کرده" in page and "پاسخ ماندگار" in page and "حذف شود" not in page
    with pytest.raises(PermissionDenied):
        comment_delete(comment=reply, actor=citizen)


# --- flags -----------------------------------------------------------------------
def test_hidden_after_n_flags_until_staff_decide(project, citizen, city_settings, district_staff, client):
    city_settings.flags_to_hide = 2
    city_settings.save()
    comment = factories.CommentFactory(project=project, text="نظر مورد اختلاف")
    project.comment_count = 1
    project.save(update_fields=["comment_count"])
    comment_flag(comment=comment, user=citizen, reason="insult")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and comment.open_flag_count == 1
    with pytest.raises(ValidationError):
        comment_flag(comment=comment, user=citizen, reason="insult")  # once per person
    comment_flag(comment=comment, user=factories.UserFactory(), reason="spam")
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and project.comment_count == 0
    assert "نظر مورد اختلاف" not in _page(client, project)
    assert "comment.hidden_by_flags" in [e.action for e in history(comment)]

    comment_moderate(comment=comment, actor=district_staff, approve=True)
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and comment.open_flag_count == 0
    assert not comment.flags.filter(resolved=False).exists()
    assert project.comment_count == 1


def test_flag_rules(project, citizen):
    mine = factories.CommentFactory(project=project, author=citizen)
    with pytest.raises(PermissionDenied):
        comment_flag(comment=mine, user=citizen, reason="insult")
    pending = factories.CommentFactory(project=project, status=CommentStatus.PENDING)
    with pytest.raises(PermissionDenied):
        comment_flag(comment=pending, user=citizen, reason="insult")
    with pytest.raises(ValidationError):
        comment_flag(comment=factories.CommentFactory(project=project), user=citizen, reason="nonsense")


def test_flag_pages_with_and_without_htmx(client_for, project, citizen):
    comment = factories.CommentFactory(project=project)
    client = client_for(citizen)
    url = f"/projects/{project.pk}/comments/{comment.pk}/flag/"
    form = client.get(url, **HTMX)
    assert form.status_code == 200 and "<html" not in form.content.decode()
    done = client.post(url, {"reason": "spam", "note": "<b>x</b>"}, **HTMX)
    assert done.status_code == 200 and "بازبین‌ها" in done.content.decode()
    other = client_for(factories.UserFactory())
    assert other.get(url).status_code == 200
    assert other.post(url, {"reason": "insult"}).status_code == 302
    assert comment.flags.count() == 2


# --- pages: htmx and plain, errors, hostile text --------------------------------------
def test_comment_with_htmx_returns_the_comment_section(client_for, project, citizen):
    client = client_for(citizen)
    response = client.post(f"/projects/{project.pk}/comments/", {"text": "با htmx"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="comments"')
    assert "با htmx" in html and "پس از تأیید بازبین" in html


def test_empty_comment_is_a_form_error_not_a_500(client_for, project, citizen):
    client = client_for(citizen)
    response = client.post(f"/projects/{project.pk}/comments/", {"text": "   "})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    response = client.post(f"/projects/{project.pk}/comments/", {"text": " "}, **HTMX)
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not project.comments.exists()


def test_comment_rate_limit(client_for, project, citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_comment": (1, 600)}
    client = client_for(citizen)
    assert client.post(f"/projects/{project.pk}/comments/", {"text": "یک"}).status_code == 302
    response = client.post(f"/projects/{project.pk}/comments/", {"text": "دو"})
    assert response.status_code == 429
    assert "پشت سر هم نظر" in response.content.decode()
    assert project.comments.count() == 1


HOSTILE_TEXTS = [
    "<script>alert('x')</script>",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "ب" * 3000,
    "\u202eevil\u202c \u2066isolated\u2069",
    "<img src=x onerror=alert(1)>",
]


def test_hostile_comment_text_is_inert(client, project, post_moderation, settings):
    settings.PROJECT_COMMENT_MAX_LENGTH = 5000
    author = factories.UserFactory(email="secret@example.org", phone="+989121112233")
    for text in HOSTILE_TEXTS:
        comment_post(project=project, author=author, text=text)
    html = _page(client, project)
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html
    texts = re.findall(r'<div class="comment-text" dir="auto">(.*?)</div>', html, re.S)
    assert len(texts) == len(HOSTILE_TEXTS)
    assert not any(ch in t for t in texts for ch in "\u202e\u202c\u2066\u2069")
    assert "ب" * 3000 in html  # shown whole; the CSS wraps it
    assert "secret@example.org" not in html and "09121112233" not in html and "+989121112233" not in html
    assert '<bdi class="comment-author">' in html


def test_bidi_controls_are_removed_when_stored():
    assert clean_text("a\u202eb\u2066c\u2069\x00d\r\ne") == "abcd\ne"
