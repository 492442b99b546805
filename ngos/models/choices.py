"""Fixed vocabularies of the organisations registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    CHARITY = "charity", _("Charity")
    JIHADI_GROUP = "jihadi_group", _("Jihadi group")
    BENEFACTORS_ASSEMBLY = "benefactors_assembly", _("Benefactors' assembly")


class LicenceIssuer(models.TextChoices):
    GOVERNORATE = "governorate", _("Governorate")
    INTERIOR_MINISTRY = "interior_ministry", _("Ministry of Interior")
    WELFARE_ORGANIZATION = "welfare_organization", _("Welfare Organisation")
    OTHER = "other", _("Other issuer")


class FieldOfActivity(models.TextChoices):
    SOCIAL_HARMS = "social_harms", _("Social harms")
    CHILDREN = "children", _("Children")
    WOMEN_FAMILY = "women_family", _("Women and family")
    ELDERLY = "elderly", _("Elderly")
    DISABILITY = "disability", _("Disability")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    ENVIRONMENT = "environment", _("Environment")
    CULTURE_ART = "culture_art", _("Culture and art")
    SPORT = "sport", _("Sport")
    HOUSING = "housing", _("Housing and urban renewal")
    RELIEF = "relief", _("Relief")
    OTHER = "other", _("Other field")


class OrganizationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring within 30 days")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("No licence dates")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class ReminderKind(models.TextChoices):
    EXPIRING_30 = "expiring_30", _("30 days before expiry")
    EXPIRING_7 = "expiring_7", _("7 days before expiry")
    EXPIRED = "expired", _("Expired")


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with a comment")


class RsvpResponse(models.TextChoices):
    ATTENDING = "attending", _("Attending")
    MAYBE = "maybe", _("Maybe")
    NOT_ATTENDING = "not_attending", _("Not attending")


class Availability(models.TextChoices):
    WEEKDAY_MORNINGS = "weekday_mornings", _("Weekday mornings")
    WEEKDAY_EVENINGS = "weekday_evenings", _("Weekday evenings")
    WEEKENDS = "weekends", _("Weekends")
    FLEXIBLE = "flexible", _("Flexible")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Applications that hold one of an opportunity's places.
PLACE_HOLDING = (ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED)
