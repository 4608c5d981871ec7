"""The account: a person who signs in with their email address."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # Email addresses are matched without regard to case, as people type them.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: email is the login; one full name, not two."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField("full name", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Can sign in to the coordination office's admin site.",
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("date joined", default=timezone.now)
    reminders_about_applications = models.BooleanField(
        "reminders about my expressions of interest",
        default=True,
        help_text="For example, that the call is closing and an expression of interest is unsent.",
    )
    programme_reminders = models.BooleanField(
        "reminders of the programme's dates",
        default=False,
        help_text="Closing dates and milestones, for people who opted in.",
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email
