"""What an applicant types, as the tests type it: every section's answers, and the
values that identify them, which must not leak where they do not belong."""

ANSWERS = {
    "your-details": {
        "full_name": "Alex Applicant",
        "job_title": "Head of Security",
        "work_phone": "01632 960 001",
        "work_email": "alex@example.org",
    },
    "your-organisation": {
        "organisation_name": "Example Venues Ltd",
        "sector": "private",
        "organisation_size": "large",
        "website": "www.example.org",
        "memberships": ["cssc"],
    },
    "validation": {
        "referee_name": "Robin Referee",
        "referee_job_title": "Chief Operating Officer",
        "referee_email": "robin@example.org",
        "referee_phone": "+44 808 157 0192",
        "referee_relationship": "Line manager",
        "referee_consent": "on",
        "vetting": "sc",
        "sia_licence_number": "1234 5678 9012 3456",
    },
    "projects": {
        "projects": ["CP2", "T1"],
        "role_CP2": "lead",
        "experience_CP2": "Ran the venue partnership programme for five years.",
        "preference_CP2": "1",
        "role_T1": "deliver",
        "experience_T1": "Vetting policy for 2,000 staff.",
        "preference_T1": "2",
        "hours_per_month": "8",
    },
    "conflicts-of-interest": {"has_conflicts": "no"},
    "declarations": {
        "accepts_confidentiality": "on",
        "accepts_voluntary": "on",
        "undertakes_to_declare": "on",
        "read_privacy_notice": "on",
    },
}


def section_url(eoi, section):
    return f"/applications/{eoi.reference}/{section}/"


# What the applicant of `sent_eoi` typed that names, reaches or describes them.
PERSONAL_VALUES = [
    "Alex Applicant",
    "alex@example.org",
    "Head of Security",
    "01632 960 001",
    "+44 808 157 0192",
    "Example Venues",
    "www.example.org",
    "Robin Referee",
    "robin@example.org",
    "Chief Operating Officer",
    "1234567890123456",
    "Ran the venue partnership programme",
    "Vetting policy for 2,000 staff",
    "Shareholding in Acme Barriers",
    "Acme Barriers",
    "Referee answered by phone",
    "Strong on venues, knows Alex",
    "I moved jobs",
]

# Identity and vetting details: never on a co-chair's page or in their CSV.
IDENTITY_VALUES = [
    "work.example.org",
    "01632 960 001",
    "Robin Referee",
    "referee-of-",
    "01632 960 999",
    "1234567890123456",
    "Security Check",
]
