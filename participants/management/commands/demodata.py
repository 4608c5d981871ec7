"""Fictional applicants and expressions of interest, for demonstrations and benchmarks."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from participants.models import (
    ConflictOfInterest,
    Decision,
    ExpressionOfInterest,
    ProjectInterest,
    TeamMembership,
    User,
    ValidationCheck,
)
from projects.models import Call

BATCH = 1000
# Roughly how a call's EOIs stand a few weeks in.
STATUSES = [
    ("draft", 15),
    ("submitted", 35),
    ("under_review", 20),
    ("shortlisted", 12),
    ("accepted", 8),
    ("declined", 5),
    ("withdrawn", 5),
]
SECTORS = [
    ("policing", 25),
    ("government", 20),
    ("private", 40),
    ("academia", 7),
    ("voluntary", 5),
    ("other", 3),
]
EXPERIENCE = [
    "Led the protective security programme for a city-centre venue group for six years.",
    "Counter-terrorism security adviser; ran table-top exercises with local businesses.",
    "Head of security operations for a regional transport operator.",
    "Built staff vetting and insider-threat processes across three sites.",
    "Cyber security lead for a retail bank's small-business customers.",
    "Trained door supervisors and stewards for stadium events.",
]


def weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


class Command(BaseCommand):
    help = "Create fictional applicants and EOIs in the current call (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("count", nargs="?", type=int, default=300, help="How many EOIs (300).")
        parser.add_argument(
            "--seed", type=int, default=2018, help="Random seed, for repeatable data."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if fictional applicants exist already (for `make run`).",
        )

    def handle(self, *args, count, seed, if_empty=False, **options):
        if not settings.DEBUG:
            raise CommandError("demodata only runs with DEBUG on: it makes fictional people.")
        if count < 1:
            raise CommandError("Give a number of EOIs of 1 or more.")
        call = Call.objects.current()
        if call is None:
            raise CommandError("No call: run `manage.py loadprogramme --demonstration` first.")
        if if_empty and User.objects.filter(email__startswith="demo-").exists():
            self.stdout.write("Fictional applicants exist already; none added.")
            return
        from faker import Faker

        fake = Faker("en_GB")
        fake.seed_instance(seed)
        rng = random.Random(seed)
        projects = list(call.projects.all())
        start = User.objects.filter(email__startswith="demo-").count()
        password = make_password(None)  # unusable: fictional people never sign in
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                self._batch(call, projects, fake, rng, start + made, size, password)
            made += size
            self.stdout.write(f"{made} of {count} EOIs created")
        self.stdout.write(self.style.SUCCESS(f"Created {count} fictional EOIs in {call}."))

    def _batch(self, call, projects, fake, rng, first, size, password):
        now = timezone.now()
        users = User.objects.bulk_create(
            User(
                email=f"demo-{first + n:06d}@example.org", full_name=fake.name(), password=password
            )
            for n in range(size)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        eois = []
        for user in users:
            status = weighted(rng, STATUSES)
            sector = weighted(rng, SECTORS)
            company = fake.company()
            eois.append(
                ExpressionOfInterest(
                    applicant=user,
                    call=call,
                    status=status,
                    submitted_at=None
                    if status == "draft"
                    else now - datetime.timedelta(days=rng.randint(0, 25)),
                    full_name=user.full_name,
                    job_title=fake.job()[:150],
                    work_phone=f"020 7946 {rng.randint(0, 9999):04d}",
                    work_email=user.email,
                    organisation_name=company,
                    sector=sector,
                    sector_other="Utilities" if sector == "other" else "",
                    organisation_size=weighted(rng, [("micro", 2), ("sme", 5), ("large", 3)])
                    if sector == "private"
                    else "",
                    ieg_member=rng.random() < 0.1,
                    cssc_member=rng.random() < 0.3,
                    referee_name=fake.name(),
                    referee_job_title=fake.job()[:150],
                    referee_email=f"referee-{user.email}",
                    referee_phone=f"0161 496 {rng.randint(0, 9999):04d}",
                    referee_relationship="Line manager",
                    referee_consent=True,
                    vetting=weighted(
                        rng, [("none", 5), ("nppv", 2), ("ctc", 2), ("sc", 2), ("dv", 1)]
                    ),
                    hours_per_month=rng.choice([2, 4, 8, 12, 16]),
                    no_conflicts=rng.random() > 0.1,
                    accepts_confidentiality=True,
                    accepts_voluntary=True,
                    undertakes_to_declare=True,
                    read_privacy_notice=True,
                    privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                )
            )
        eois = ExpressionOfInterest.objects.bulk_create(eois)
        interests, conflicts, checks, places, decisions = [], [], [], [], []
        for eoi in eois:
            chosen = rng.sample(projects, k=min(len(projects), rng.choice([1, 1, 2, 3])))
            for preference, project in enumerate(chosen, start=1):
                interests.append(
                    ProjectInterest(
                        expression_of_interest=eoi,
                        project=project,
                        role=weighted(rng, [("lead", 2), ("develop", 4), ("deliver", 4)]),
                        experience=rng.choice(EXPERIENCE),
                        preference=preference,
                    )
                )
            if eoi.status == "accepted" and chosen:
                # Accepted applicants hold a place in their first choice's team;
                # every project they offered is decided (the others declined).
                first = interests[-len(chosen)]
                decided = timezone.now()
                decisions.extend(
                    Decision(
                        expression_of_interest=eoi,
                        project=interest.project,
                        outcome="accept" if interest is first else "decline",
                        role=interest.role if interest is first else "",
                        applied_at=decided,
                    )
                    for interest in interests[-len(chosen) :]
                )
                places.append(
                    TeamMembership(
                        project=first.project,
                        member_id=eoi.applicant_id,
                        role=first.role,
                        expression_of_interest=eoi,
                    )
                )
            if eoi.no_conflicts is False:
                conflicts.append(
                    ConflictOfInterest(
                        expression_of_interest=eoi,
                        organisation=fake.company(),
                        nature=rng.choice(
                            ["financial", "commercial", "employment", "personal", "other"]
                        ),
                        details="Supplies security products to venues in the project's scope.",
                    )
                )
            if eoi.status != "draft":
                checks.append(
                    ValidationCheck(
                        expression_of_interest=eoi,
                        method="email_verified",
                        result="passed",
                        note="Email address confirmed at sign-up.",
                    )
                )
                if rng.random() < 0.6:
                    checks.append(
                        ValidationCheck(
                            expression_of_interest=eoi,
                            method="referee_confirmed",
                            result="passed" if rng.random() < 0.95 else "failed",
                            note=f"Referee {eoi.referee_email} answered.",
                            referee_email=eoi.referee_email.lower(),
                        )
                    )
        ProjectInterest.objects.bulk_create(interests)
        ConflictOfInterest.objects.bulk_create(conflicts)
        ValidationCheck.objects.bulk_create(checks)
        TeamMembership.objects.bulk_create(places)
        Decision.objects.bulk_create(decisions)
