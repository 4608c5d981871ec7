"""Which email addresses are a person's: the one rule for matching data to people by address.

Some of what the portal holds is kept by address, not by account: the outbox's
notices (`Notice.recipient`) and questions asked without signing in
(`ProjectQuestion.email`). Such a row is a person's only through an address they
have shown they receive mail at, by following the link we sent to it (allauth's
`EmailAddress.verified`). An address merely added to an account, or typed at
sign-up and never confirmed, could be anybody's: a referee's, another
applicant's. Subject access, erasure and retention all ask here, so that an
unverified address never makes someone else's data "yours".
"""

from django.db.models import Q


def verified_email_addresses():
    """Every verified address row (allauth's EmailAddress), for queries over many accounts."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(verified=True)


def verified_addresses(user):
    """The addresses `user` has verified: stripped, in lower case (as the outbox
    stores recipients) and sorted. The account's login address counts only once
    verified, like any other."""
    if user.pk is None:
        return []
    emails = verified_email_addresses().filter(user=user).values_list("email", flat=True)
    return sorted({email.strip().lower() for email in emails if email.strip()})


def matching(field, addresses):
    """A Q matching rows whose `field` is one of `addresses`, whatever its case.

    No addresses match no rows (an empty Q would match every row).
    """
    if not addresses:
        return Q(pk__in=[])
    condition = Q()
    for address in addresses:
        condition |= Q(**{f"{field}__iexact": address})
    return condition
