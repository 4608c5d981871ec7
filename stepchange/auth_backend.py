"""The signed-in user, their roles and their two-factor state, in one query.

Django's and allauth's authentication backends, whose `get_user` (called once a
request, by AuthenticationMiddleware) annotates the user's row with
stepchange.roles.annotations(): whether they have an authenticator app and hold
each registered privileged role (Exists subqueries). Signing in is theirs,
unchanged.

Sessions signed in before these backends were named carry the old backends'
paths, which Django would no longer accept: `AuthenticationMiddleware` renames
them once, so nobody is signed out by the change.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import BACKEND_SESSION_KEY, backends, get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.utils.functional import SimpleLazyObject

from . import roles

RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "stepchange.auth_backend.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "stepchange.auth_backend.AuthenticationBackend"
    ),
}


class _UserWithRoles:
    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(**roles.annotations())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithRoles, backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithRoles, allauth_backends.AuthenticationBackend):
    pass


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, renaming an old session's backend (a session write, once) first."""

    def process_request(self, request):
        super().process_request(request)

        def user():
            renamed = RENAMED.get(request.session.get(BACKEND_SESSION_KEY))
            if renamed:
                request.session[BACKEND_SESSION_KEY] = renamed
            return auth_middleware.get_user(request)

        request.user = SimpleLazyObject(user)
