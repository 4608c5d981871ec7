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
    organisation = models.CharField(
        "organisation",
        max_length=150,
        blank=True,
        help_text="Shown after the name wherever the person is named, for example as a "
        "co-chair on the public pages.",
    )
    pending_project = models.ForeignKey(
        "projects.Project",
        verbose_name="project chosen before signing up",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text='The project whose "Express interest" led to the sign-up: shown ticked '
        "when the person next signs in, wherever they confirmed their email address.",
    )
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

    # What a page shows for an account with no name: never its email address.
    NO_NAME = "Name not given"

    def __str__(self):
        # The admin's label for the account: the coordination office may see the
        # address of an account with no name. Pages show `public_name`.
        return self.public_name if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    @property
    def public_name(self):
        """The person as every page outside the admin names them: their name and,
        where known, their organisation; never their email address."""
        if not self.full_name:
            return self.NO_NAME
        return f"{self.full_name}, {self.organisation}" if self.organisation else self.full_name

    def take_pending_project(self):
        """The project chosen before signing up, forgotten once handed over."""
        project = self.pending_project
        if project is not None:
            self.pending_project = None
            self.save(update_fields=["pending_project"])
        return project

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email
