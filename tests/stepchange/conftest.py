# The EOI journey's fixtures (an applicant, the open call, a complete draft made
# through the pages), for the notice templates' tests.
from tests.participants.conftest import (  # noqa: F401
    applicant,
    applicant_client,
    complete_draft,
    open_call,
)
