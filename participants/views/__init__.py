"""The app's pages, a module a job: eoi (the applicant's expression of interest),
referee (the referee's signed link), data (one's own data, UK GDPR), preferences
(reminders and unsubscribing) and dashboard (the programme's figures, in the admin)."""
