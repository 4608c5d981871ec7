from django.contrib import admin
from django.urls import include, path

from participants import dashboard_views, preference_views
from projects import views as project_views

from . import views

admin.site.site_header = "Step-Change Programme: coordination office"
admin.site.site_title = "Step-Change Programme admin"
admin.site.index_title = "Programme administration"

urlpatterns = [
    path("", project_views.home, name="home"),
    path("workstreams/", include("workstreams.urls")),
    path("workspace/", include("workstreams.workspace_urls")),
    path("projects/", include("projects.urls")),
    path("timeline/", project_views.timeline, name="timeline"),
    path("participation-and-ethics/", project_views.participation, name="participation"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("applications/", include("participants.urls")),
    path("referee/", include("participants.referee_urls")),
    path("accounts/reminders/", preference_views.reminder_preferences, name="account_reminders"),
    path("unsubscribe/<str:token>/", preference_views.unsubscribe, name="unsubscribe"),
    path("accounts/", include("allauth.urls")),
    path(
        "admin/dashboard/", admin.site.admin_view(dashboard_views.dashboard), name="admin_dashboard"
    ),
    path("admin/", admin.site.urls),
]

handler404 = "stepchange.views.page_not_found"
handler500 = "stepchange.views.server_error"
