"""What every settings module reads first: where the portal lives, the
environment (and a developer's .env), DEBUG, and the production check."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # stepchange/settings/ -> the checkout

env = environ.Env()
# A developer's checkout has a .env (made by `make install`: DEBUG=1); the
# environment wins over it, and production has none.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env.str("STEPCHANGE_VAR_DIR", default=str(BASE_DIR / "var")))


def required_in_production(name, value):
    """Stop start-up when a production setting is missing, naming it."""
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment when DEBUG is off "
            f"(see the production settings table in README.md)."
        )
    return value


DEBUG = env.bool("DEBUG", default=False)

SERVICE_NAME = "Step-Change Programme"
