import hashlib
import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csp_portal.languages import Language


def canonical_email(value: str) -> str:
    """The one spelling of an email address that signs in, counts towards a lockout, gets a
    password reset or accepts an invitation: Unicode NFKC, case-folded, without surrounding
    space. Accounts are stored in it and matched on it exactly, so a lookalike (``director@``
    spelt with a Turkish dotless i, which PostgreSQL's case-insensitive match takes for
    ``director@``) is simply another address."""
    folded = unicodedata.normalize("NFKC", value).strip().casefold()
    return unicodedata.normalize("NFKC", folded)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=canonical_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email=canonical_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; what they may do comes from their memberships."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_staff = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_("Imports national reference data and creates partnerships."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Blank until the person chooses (the toggle or their account page): pages then follow the
    # language cookie or the browser, and emails go in the default language.
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True, default=""
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is kept, with a short prefix that
    identifies it on the owner's page. It acts for the memberships chosen when it was made, with
    whatever role the person holds in each now; a membership that ends drops out of it."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    memberships = models.ManyToManyField(
        "partnerships.Membership", related_name="api_tokens", verbose_name=_("partnerships")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class AccountEmailKind(models.TextChoices):
    PASSWORD_RESET = "password_reset", _("Password reset link")
    AUTHENTICATOR_REPLACED = "authenticator_replaced", _("Authenticator app changed")
    BACKUP_CODES_REPLACED = "backup_codes_replaced", _("New backup codes made")


class AccountEmail(models.Model):
    """An email about a person's own account (a password reset link, a warning that their
    two-factor authentication changed), kept until it has gone. The request that asks for it
    queues its task after commit; if the broker is down then, the outbox flush sends it.

    Every password reset request within the limits is a row, whether or not the address has an
    account (``user`` is then empty and nothing is sent), so that asking does the same work
    either way; the limits count these rows.
    """

    kind = models.CharField(max_length=32, choices=AccountEmailKind.choices)
    address = models.EmailField(_("email address"))
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When its email went, or when it was found to have nobody to go to.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AccountEmailKind.values), name="account_email_kind"
            )
        ]
        indexes = [
            models.Index(fields=["address", "created_at"], name="account_email_by_address"),
            models.Index(fields=["client_address", "created_at"], name="account_email_by_client"),
            models.Index(
                fields=["created_at"],
                name="account_email_waiting",
                condition=models.Q(done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address}"
