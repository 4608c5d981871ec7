"""The coordination office's dashboard, among the admin's pages: mounted at
/admin/dashboard/, before the admin's own URLs."""

from django.contrib import admin
from django.urls import path

from .views import dashboard as dashboard_views

urlpatterns = [
    path("", admin.site.admin_view(dashboard_views.dashboard), name="admin_dashboard"),
]
