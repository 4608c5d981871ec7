"""The stakeholder's own data, among the account pages: mounted at /accounts/."""

from django.urls import path

from . import data_views

# Named account_* so that the header marks "Your account" as the current section.
urlpatterns = [
    path("your-data/", data_views.your_data, name="account_your_data"),
    path("your-data.json", data_views.your_data_json, name="account_your_data_json"),
    path("your-data/erase/", data_views.erase, name="account_erase"),
    path("your-data/erased/", data_views.erased, name="account_erased"),
]
