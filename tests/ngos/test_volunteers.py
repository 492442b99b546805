"""The volunteer club: apply once, never over-fill, accept/decline, withdraw."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from ngos import services
from ngos.models import PLACE_HOLDING, Application, ApplicationStatus
from tests import factories


def _volunteer(district):
    return factories.VolunteerProfileFactory(districts=[district]).user


@pytest.mark.django_db
def test_apply_once_decide_and_withdraw(manager, organization, district):
    opportunity = factories.OpportunityFactory(organization=organization, places=2)
    alice, bob, carol = (_volunteer(district) for _ in range(3))
    first = services.application_apply(user=alice, opportunity=opportunity, message="سلام")
    with pytest.raises(ValidationError):
        services.application_apply(user=alice, opportunity=opportunity)
    services.application_apply(user=bob, opportunity=opportunity)
    with pytest.raises(ValidationError) as full:
        services.application_apply(user=carol, opportunity=opportunity)
    assert full.value.code == "full"

    services.application_decide(actor=manager, application=first, accept=True)
    first.refresh_from_db()
    assert first.status == ApplicationStatus.ACCEPTED and first.decided_by == manager
    services.application_withdraw(user=alice, application=first)  # frees a place
    third = services.application_apply(user=carol, opportunity=opportunity)
    services.application_decide(actor=manager, application=third, accept=False)
    with pytest.raises(ValidationError):  # a declined volunteer does not re-apply
        services.application_apply(user=carol, opportunity=opportunity)
    again = services.application_apply(user=alice, opportunity=opportunity)  # withdrawn: may apply again
    assert again.pk == first.pk and again.status == ApplicationStatus.PENDING
    assert Application.objects.filter(opportunity=opportunity, status__in=PLACE_HOLDING).count() == 2


@pytest.mark.django_db
def test_profile_is_needed_and_closed_opportunities_refuse(organization, district, citizen, manager):
    opportunity = factories.OpportunityFactory(organization=organization)
    with pytest.raises(ValidationError):
        services.application_apply(user=citizen, opportunity=opportunity)
    services.volunteer_profile_save(user=citizen, skills="آموزش", districts=[district], availability="flexible")
    services.opportunity_close(actor=manager, opportunity=opportunity)
    with pytest.raises(ValidationError):
        services.application_apply(user=citizen, opportunity=opportunity)


@pytest.mark.django_db
def test_only_verified_organisations_post(manager, district):
    draft = factories.OrganizationFactory(city=district.city, districts=[district], managers=[manager])
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    with pytest.raises(PermissionDenied):
        services.opportunity_post(
            actor=manager,
            organization=draft,
            title="x",
            description="y",
            date=timezone.localdate(),
            place="z",
            places=1,
        )


@pytest.mark.django_db
def test_pages_show_free_places_and_hide_phone_numbers(client, client_for, manager, organization, district):
    opportunity = factories.OpportunityFactory(organization=organization, places=3)
    volunteer = _volunteer(district)
    services.application_apply(user=volunteer, opportunity=opportunity)
    listing = client.get("/volunteer/").content.decode()
    assert "۲ از ۳" in listing or "2 of 3" in listing
    managed = client_for(manager).get(f"/organizations/{organization.pk}/opportunities/").content.decode()
    assert volunteer.phone not in managed and volunteer.phone_local not in managed


@pytest.mark.django_db
def test_opportunity_list_queries_are_constant(client, organization, django_assert_num_queries):
    factories.OpportunityFactory.create_batch(2, organization=organization)
    client.get("/volunteer/")
    with django_assert_num_queries(3) as few:  # district choices, count, page (places counted in the page query)
        client.get("/volunteer/")
    factories.OpportunityFactory.create_batch(12, organization=organization)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/volunteer/")


@pytest.mark.django_db(transaction=True)
def test_concurrent_applications_never_overfill(organization, district):
    """N places, N+k volunteers applying at once from separate threads and connections."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    places, extra = 5, 7
    opportunity = factories.OpportunityFactory(organization=organization, places=places)
    volunteers = [_volunteer(district) for _ in range(places + extra)]
    barrier = threading.Barrier(len(volunteers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def apply(user):
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            services.application_apply(user=user, opportunity=opportunity)
            result = "ok"
        except ValidationError as exc:
            result = exc.code or "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=apply, args=(user,)) for user in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("ok") == places
    assert outcomes.count("full") == extra
    held = Application.objects.filter(opportunity=opportunity, status__in=PLACE_HOLDING).count()
    assert held == places
