"""Who may do what with a citizen's notification: a role × action × result table."""

import pytest

from tests import factories

OWNER, STRANGER, STAFF, ADMIN, ANONYMOUS = "owner", "stranger", "district_staff", "city_admin", "anonymous"

MATRIX = [
    # action, {role: expected status}
    ("inbox_lists_it", {OWNER: True, STRANGER: False, STAFF: False, ADMIN: False, ANONYMOUS: False}),
    ("page_mark_read", {OWNER: 302, STRANGER: 404, STAFF: 404, ADMIN: 404, ANONYMOUS: 302}),
    ("api_retrieve", {OWNER: 200, STRANGER: 404, STAFF: 404, ADMIN: 404, ANONYMOUS: 403}),
    ("api_mark_read", {OWNER: 200, STRANGER: 404, STAFF: 404, ADMIN: 404, ANONYMOUS: 403}),
    ("admin_outbox", {OWNER: 302, STRANGER: 302, STAFF: 403, ADMIN: 200, ANONYMOUS: 302}),
]


@pytest.fixture
def people(recipient, stranger, district_staff, city_admin):
    return {OWNER: recipient, STRANGER: stranger, STAFF: district_staff, ADMIN: city_admin, ANONYMOUS: None}


def perform(action, client, api_client, notification):
    if action == "inbox_lists_it":
        response = client.get("/notifications/")
        return response.status_code == 200 and f'id="notification-{notification.pk}"' in response.content.decode()
    if action == "page_mark_read":
        return client.post(f"/notifications/{notification.pk}/read/").status_code
    if action == "api_retrieve":
        return api_client.get(f"/api/v1/notifications/{notification.pk}/").status_code
    if action == "api_mark_read":
        return api_client.post(f"/api/v1/notifications/{notification.pk}/read/").status_code
    if action == "admin_outbox":
        return client.get("/admin/notifications/notification/").status_code
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize("action,expected", MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("role", [OWNER, STRANGER, STAFF, ADMIN, ANONYMOUS])
def test_matrix(action, expected, role, people, recipient, client, api_client):
    notification = factories.NotificationFactory(recipient=recipient)
    user = people[role]
    if user is not None:
        client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
        api_client.force_authenticate(user)
    assert perform(action, client, api_client, notification) == expected[role]
    if role != OWNER:
        notification.refresh_from_db()
        assert notification.read_at is None
