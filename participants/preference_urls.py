"""Reminder preferences: on the account pages, and by a signed link; the name of an
account that has none. Mounted at /, before allauth's /accounts/."""

from django.urls import path

from .views import account_name
from .views import preferences as preference_views

urlpatterns = [
    path("accounts/reminders/", preference_views.reminder_preferences, name="account_reminders"),
    path("accounts/name/", account_name.your_name, name="account_name"),
    path("unsubscribe/<str:token>/", preference_views.unsubscribe, name="unsubscribe"),
]
