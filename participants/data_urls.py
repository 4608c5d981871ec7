"""The stakeholder's own data, among the account pages: mounted at /accounts/."""

from django.urls import path

from .views import data

# Named account_* so that the header marks "Your account" as the current section.
urlpatterns = [
    path("your-data/", data.your_data, name="account_your_data"),
    path("your-data.json", data.your_data_json, name="account_your_data_json"),
    path("your-data/erase/", data.erase, name="account_erase"),
    path("your-data/erased/", data.erased, name="account_erased"),
]
