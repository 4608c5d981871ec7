"""Data protection (UK GDPR), one module a job:

- subject_access: `subject_access(user)`, everything the portal holds about a
  person, for the "Your data" page and its JSON download (Article 15).
- erasure: `erase_account(user)`, the right to erasure (Article 17): what the
  office must keep as the record of a decision is anonymised, the rest deleted.
- retention: `apply_retention_policy()`, the RETENTION_* periods in settings,
  applied every night by beat (participants.apply_retention_policy), and
  `retention_periods()` for the privacy notice.
- access_log: `record_access(request, what)` and
  `PersonalDataAccessMiddleware`: who viewed or exported applicants' personal
  data, and when.
"""
