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

import functools

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import BACKEND_SESSION_KEY, backends, get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.functional import SimpleLazyObject

from . import roles

RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "stepchange.auth_backend.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "stepchange.auth_backend.AuthenticationBackend"
    ),
}


# A primary key no row has, to find the user's place among the query's parameters.
_PLACEHOLDER_PK = -730_194_718


@functools.cache
def _user_query(vendor):
    """The annotated user query as SQL, compiled by the ORM once a process: building
    its Exists subqueries and compiling them took two thirds of a signed-in request
    whose page was kept (stepchange/personal_pages.py). The roles are all registered
    by then (the apps' ready())."""
    queryset = (
        get_user_model()
        ._default_manager.annotate(**roles.annotations())
        .filter(pk=_PLACEHOLDER_PK)
        .order_by()[:1]
    )
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params), params.index(_PLACEHOLDER_PK)


class _UserWithRoles:
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql, params, position = _user_query(connection.vendor)
        params = [*params[:position], pk, *params[position + 1 :]]
        user = next(iter(model._default_manager.raw(sql, params)), None)
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
