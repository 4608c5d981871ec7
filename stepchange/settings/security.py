"""Security headers, cookies and the proxies in front of the portal."""

from django.core.exceptions import ImproperlyConfigured

from .environment import DEBUG, env

# Security headers and cookies. SecurityMiddleware sends HSTS, nosniff, the
# Referrer-Policy and Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sends
# X-Frame-Options; stepchange/security.py sends the Content-Security-Policy,
# Permissions-Policy and Cache-Control: no-store on personal pages.
# HSTS goes only on HTTPS responses, so `make run` over http never sends it.
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Consent to the browsers' preload list; being put on it is a separate, deliberate
# submission at hstspreload.org.
SECURE_HSTS_PRELOAD = True
# On in production; the test suite and loopback stacks speak plain HTTP and turn it off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Behind a TLS-terminating proxy Django sees http: trust the proxy's
# X-Forwarded-Proto. Safe only if the proxy always sets (overwrites) that header.
if env.bool("TRUST_X_FORWARDED_PROTO", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _proxy_count(name):
    """A whole number, 0 or more, from the environment (0 when unset)."""
    raw = env.str(name, default="0").strip()
    if not (raw.isascii() and raw.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more, not {raw!r}.")
    return int(raw)


def _client_ip_header(name, proxy_count):
    """One header's name (letters, digits, hyphens) from the environment, or ""."""
    raw = env.str(name, default="").strip()
    if raw and (
        not (raw.isascii() and raw.replace("-", "").isalnum())
        or raw.lower() == "x-forwarded-for"
        or proxy_count
    ):
        raise ImproperlyConfigured(
            f"{name} must be one header's name (X-Real-IP, say), not X-Forwarded-For "
            f"(TRUSTED_PROXY_COUNT reads that), and not set with TRUSTED_PROXY_COUNT; "
            f"not {raw!r}."
        )
    return raw


# Who the client is behind the proxy (stepchange/client_address.py, used by every
# rate limit, ours and allauth's): TRUSTED_PROXY_COUNT proxies of ours each append
# to X-Forwarded-For, or one sets TRUSTED_CLIENT_IP_HEADER. 0 and none: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = _proxy_count("TRUSTED_PROXY_COUNT")
TRUSTED_CLIENT_IP_HEADER = _client_ip_header("TRUSTED_CLIENT_IP_HEADER", TRUSTED_PROXY_COUNT)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# __Host- cookies must be Secure, for the whole site, with no Domain: a sibling
# subdomain cannot set or overwrite them. With DEBUG on (`make run` over http)
# they are plain cookies.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages ("You were signed out", names in confirmations) are kept in the session,
# not in a cookie of their own that would carry them in clear, without the __Host- prefix.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
