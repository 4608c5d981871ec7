"""The app's forms, a module a job: the EOI's question pages (eoi_*), withdrawal,
the referee's answer, reminder preferences and the erasure of one's own data.
`base` holds what they share."""
