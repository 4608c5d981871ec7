from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("", views.applications, name="applications"),
    path("express-interest/", views.express_interest, name="express_interest"),
    path("<reference:reference>/", views.task_list, name="task_list"),
    path("<reference:reference>/check-your-answers/", views.check_answers, name="check_answers"),
    path("<reference:reference>/confirmation/", views.confirmation, name="confirmation"),
    path("<reference:reference>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "<reference:reference>/conflicts-of-interest/add/", views.add_conflict, name="add_conflict"
    ),
    path(
        "<reference:reference>/conflicts-of-interest/<int:conflict_id>/remove/",
        views.remove_conflict,
        name="remove_conflict",
    ),
    path("<reference:reference>/<slug:section>/", views.section, name="section"),
]
