"""Reminder preferences: on the account pages, and by a signed link. Mounted at /,
before allauth's /accounts/."""

from django.urls import path

from .views import preferences as preference_views

urlpatterns = [
    path("accounts/reminders/", preference_views.reminder_preferences, name="account_reminders"),
    path("unsubscribe/<str:token>/", preference_views.unsubscribe, name="unsubscribe"),
]
