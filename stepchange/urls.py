from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, two_factor_views, views

admin.site.site_header = "Step-Change Programme: coordination office"
admin.site.site_title = "Step-Change Programme admin"
admin.site.index_title = "Programme administration"
# The admin's own login goes through allauth, so its rate limits and two-factor
# sign-in apply; a POST to /admin/login/ signs nobody in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("projects.page_urls")),  # home, timeline, participation and ethics
    path("health/", health.health, name="health"),
    path("workstreams/", include("workstreams.urls")),
    path("workspace/", include("participants.workspace.urls")),
    path("projects/", include("projects.urls")),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("applications/", include("participants.urls")),
    path("referee/", include("participants.referee_urls")),
    path("", include("participants.preference_urls")),  # accounts/reminders/, unsubscribe/
    path("accounts/", include("participants.data_urls")),
    path("accounts/2fa/email-code/", two_factor_views.email_code, name="two_factor_email_code"),
    # allauth's own pages, at allauth's paths and names, handing `next` on.
    path("accounts/2fa/totp/activate/", two_factor_views.activate_app, name="mfa_activate_totp"),
    path(
        "accounts/2fa/recovery-codes/",
        two_factor_views.recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/dashboard/", include("participants.dashboard_urls")),
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
