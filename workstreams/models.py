from django.conf import settings
from django.db import models
from django.urls import reverse

# A co-chair is named on the public pages, so only an account with a name can
# be appointed: the admin offers, and accepts, no other (limit_choices_to also
# filters the admin's search-as-you-type).
NAMED = ~models.Q(full_name="")
CO_CHAIR_HELP = (
    "Only accounts with a full name are offered: a co-chair is named on the public "
    "pages. Add the person's name to their account first if they are not listed."
)


class WorkstreamQuerySet(models.QuerySet):
    def chaired_by(self, user):
        """The workstreams `user` co-chairs: the one scope of the co-chairs' workspace."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(models.Q(business_co_chair=user) | models.Q(police_co_chair=user))

    def listed(self):
        """What the public pages show: not archived."""
        return self.filter(archived=False)


class Workstream(models.Model):
    """One of the programme's protective-security workstreams.

    Each is jointly chaired by a business co-chair and a police co-chair: at
    most one of each, which the two foreign keys enforce by their shape.
    """

    code = models.CharField("code", max_length=10, unique=True, help_text="For example CP or SR.")
    slug = models.SlugField("address", max_length=60, unique=True)
    name = models.CharField("name", max_length=100)
    listed_as = models.CharField(
        "name in the Call to Action list",
        max_length=100,
        blank=True,
        help_text="Where the document names the workstream differently in its list.",
    )
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)
    business_co_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="business co-chair",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="business_co_chair_of",
        limit_choices_to=NAMED,
        help_text=CO_CHAIR_HELP,
    )
    police_co_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="police co-chair",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="police_co_chair_of",
        limit_choices_to=NAMED,
        help_text=CO_CHAIR_HELP,
    )
    # Archived, not deleted, once applicants' records refer to its projects.
    archived = models.BooleanField(
        "archived",
        default=False,
        help_text="Hidden, with its projects, from the public pages and from new "
        "expressions of interest; its applicants, decisions and teams are kept.",
    )

    objects = WorkstreamQuerySet.as_manager()

    class Meta:
        verbose_name = "workstream"
        verbose_name_plural = "workstreams"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workstreams:detail", kwargs={"slug": self.slug})

    @property
    def also_known_as(self):
        """The document's other name for this workstream, if it differs."""
        return self.listed_as if self.listed_as and self.listed_as != self.name else ""
