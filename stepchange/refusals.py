"""Failed authorisations, logged: who was refused what, without the page's content."""

import logging

logger = logging.getLogger("stepchange.security")


class RefusalLoggingMiddleware:
    """Log every 403, and every 404 to a signed-in user (the portal answers "not
    found" where someone may not see a page), with the user's id and the path.

    Anonymous visitors' 404s are ordinary mistyped or stale addresses and are
    left to Django's request log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        if response.status_code == 403 or (response.status_code == 404 and signed_in):
            logger.warning(
                "refused %s %s with %s to user %s",
                request.method,
                request.path,
                response.status_code,
                user.pk if signed_in else "anonymous",
            )
        return response
