from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from participants.views import dashboard as dashboard_views
from participants.views import preferences as preference_views
from projects import views as project_views

from . import health, two_factor_views, views

admin.site.site_header = "Step-Change Programme: coordination office"
admin.site.site_title = "Step-Change Programme admin"
admin.site.index_title = "Programme administration"
# The admin's own login goes through allauth, so its rate limits and two-factor
# sign-in apply; a POST to /admin/login/ signs nobody in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", project_views.home, name="home"),
    path("health/", health.health, name="health"),
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
    path("accounts/", include("participants.data_urls")),
    path("accounts/2fa/email-code/", two_factor_views.email_code, name="two_factor_email_code"),
    path("unsubscribe/<str:token>/", preference_views.unsubscribe, name="unsubscribe"),
    path("accounts/", include("allauth.urls")),
    path(
        "admin/dashboard/", admin.site.admin_view(dashboard_views.dashboard), name="admin_dashboard"
    ),
    path("admin/", admin.site.urls),
]

handler404 = "stepchange.views.page_not_found"
handler500 = "stepchange.views.server_error"

if settings.BENCHMARK_VIEWS:
    from . import bench_views

    urlpatterns += [
        path("bench/bare/", bench_views.bare),
        path("bench/bare-insert/", bench_views.bare_insert),
    ]
