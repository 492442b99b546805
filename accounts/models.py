"""The portal's user: signs in with a mobile number or an email address."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.validators import local_mobile, normalize_mobile, validate_mobile, validate_national_code


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORG_MANAGER = "org_manager", _("Organisation manager")
    TRUSTEE = "trustee", _("Trustee")
    DISTRICT_STAFF = "district_staff", _("District staff")
    CITY_ADMIN = "city_admin", _("City admin")


STAFF_ROLES = {Role.DISTRICT_STAFF, Role.CITY_ADMIN}

# The name shown wherever a deleted account's comments, ideas or replies still appear.
DELETED_USER_NAME = _("Deleted user")


def public_name(user: User | None) -> str:
    """The name a person goes by on public pages, the API and exports; a deleted account has none of its own."""
    return user.display_name if user is not None else str(DELETED_USER_NAME)


class ResidencyStatus(models.TextChoices):
    DECLARED = "declared", _("Declared")
    VERIFIED = "verified", _("Verified")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, phone: str, password: str | None, **extra):
        phone = normalize_mobile(phone)
        email = extra.pop("email", None)
        user = self.model(phone=phone, email=self.normalize_email(email) or None, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, phone: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(phone, password, **extra)

    def create_superuser(self, phone: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.CITY_ADMIN)
        extra.setdefault("display_name", "Admin")
        return self._create(phone, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(phone=username)


class User(AbstractBaseUser, PermissionsMixin):
    phone = models.CharField(
        _("mobile number"),
        max_length=13,
        unique=True,
        validators=[validate_mobile],
        help_text=_("Iranian mobile number, e.g. 09121234567."),
        error_messages={"unique": _("An account with this mobile number already exists.")},
    )
    email = models.EmailField(
        _("email address"),
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("An account with this email address already exists.")},
    )
    display_name = models.CharField(
        _("display name"), max_length=80, help_text=_("Shown next to your comments and posts.")
    )
    # Raised by "sign out everywhere": every session signed in before it ends.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    national_code = models.CharField(
        _("national code"),
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_national_code],
        error_messages={"unique": _("This national code is already registered.")},
    )
    home_neighborhood = models.ForeignKey(
        "places.Neighborhood",
        verbose_name=_("home neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    # When the current home was set: a move within the city's cooldown is refused.
    home_since = models.DateTimeField(_("home since"), null=True, blank=True, editable=False)
    residency_status = models.CharField(
        _("residency"), max_length=10, choices=ResidencyStatus.choices, default=ResidencyStatus.DECLARED
    )
    residency_verified_at = models.DateTimeField(_("residency verified at"), null=True, blank=True, editable=False)
    # Set by staff (with a reason, audited) to let the next move skip the cooldown once.
    home_move_allowed = models.BooleanField(_("early move allowed"), default=False, editable=False)
    # Set when a one-time SMS code proved the number; supports and ballots need it.
    mobile_verified_at = models.DateTimeField(_("mobile verified at"), null=True, blank=True, editable=False)
    # A keyed hash of the address the account was created from: staff see campaigns, never the address.
    signup_network = models.CharField(_("sign-up network"), max_length=16, blank=True, db_index=True, editable=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    staff_districts = models.ManyToManyField(
        "places.District",
        verbose_name=_("districts served"),
        blank=True,
        related_name="staff",
        help_text=_("District staff see and change only these districts' records."),
    )
    staff_city = models.ForeignKey(
        "places.City",
        verbose_name=_("city administered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="admins",
        help_text=_("City admins act on this city's records; empty means every city."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["-date_joined"]
        constraints = [
            models.CheckConstraint(condition=~Q(email=""), name="user_email_null_not_blank"),
            models.CheckConstraint(condition=~Q(national_code=""), name="user_national_code_null_not_blank"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.phone

    def clean(self) -> None:
        super().clean()
        if self.phone:
            self.phone = normalize_mobile(self.phone)
        self.email = self.__class__.objects.normalize_email(self.email).lower() if self.email else None
        self.national_code = self.national_code or None

    def save(self, *args, **kwargs):
        self.email = self.email.lower() if self.email else None
        self.national_code = self.national_code or None
        if self.role in STAFF_ROLES:
            self.is_staff = True
        # set_password() keeps the new raw password until the save (a hash upgrade at sign-in does not).
        new_password = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if new_password:
            # A token never outlives the password it was issued under, whichever door changed it.
            self.api_tokens.all().delete()

    def _get_session_auth_hash(self, secret=None):
        """Sessions end with a password change, as Django does, and with "sign out everywhere"."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def mobile_verified(self) -> bool:
        return self.mobile_verified_at is not None

    @property
    def phone_local(self) -> str:
        """The number as Iranians write it: 09121234567."""
        return local_mobile(self.phone)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_city_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.CITY_ADMIN)

    @property
    def is_district_staff(self) -> bool:
        return self.is_active and self.role == Role.DISTRICT_STAFF


class ApiToken(models.Model):
    """A program's sign-in: shown once, kept only as a SHA-256 digest; ends after idle time.

    The key given out is ``<prefix>.<secret>``: the prefix finds the row, the
    secret's digest is compared in constant time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    name = models.CharField(_("device"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    def idle_since(self, now) -> timedelta:
        return now - self.last_used_at

    def is_expired(self, now=None) -> bool:
        return self.idle_since(now or timezone.now()) > timedelta(days=settings.API_TOKEN_IDLE_DAYS)


class OtpPurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign-in or sign-up")
    CHANGE_NUMBER = "change_number", _("Confirming a new number")
    PASSWORD_RESET = "password_reset", _("Password reset")
    STAFF_SIGN_IN = "staff_sign_in", _("Staff sign-in")


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS, kept only as a keyed digest; one use, short life, few tries."""

    phone = models.CharField(_("mobile number"), max_length=13)
    purpose = models.CharField(_("purpose"), max_length=16, choices=OtpPurpose.choices)
    # The account asking (a changed number, a staff sign-in); empty for sign-in and sign-up by number.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"], name="otp_phone_purpose_recent")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"


class Resident(User):
    """An account as district staff see it: home neighbourhood and residency, never the number or codes."""

    class Meta:
        proxy = True
        verbose_name = _("resident")
        verbose_name_plural = _("residents")


class CensusList(models.Model):
    """A city's list of who lives in which neighbourhood, for residency checks; one per city, replaced whole.

    Only keyed digests of national codes are kept (``CensusEntry``): the list
    can confirm a code a citizen types, and cannot give one back.
    """

    city = models.OneToOneField(
        "places.City", on_delete=models.CASCADE, related_name="census_list", verbose_name=_("city")
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    entry_count = models.PositiveIntegerField(_("residents listed"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("census list")
        verbose_name_plural = _("census lists")
        ordering = ["city__name"]

    def __str__(self) -> str:
        return str(self.city)


class CensusEntry(models.Model):
    """One listed resident: the keyed digest of their national code and their neighbourhood."""

    city = models.ForeignKey("places.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("city"))
    neighborhood = models.ForeignKey(
        "places.Neighborhood", on_delete=models.CASCADE, related_name="+", verbose_name=_("neighbourhood")
    )
    digest = models.CharField(_("digest"), max_length=64)
    # The account this entry has confirmed: one listed person confirms one account.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("census entry")
        verbose_name_plural = _("census entries")
        constraints = [models.UniqueConstraint(fields=["city", "digest"], name="census_entry_once_per_city")]

    def __str__(self) -> str:
        return f"{self.neighborhood_id}"
