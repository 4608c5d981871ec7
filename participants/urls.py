from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("", views.applications, name="applications"),
    path("express-interest/", views.express_interest, name="express_interest"),
    path("<str:reference>/", views.task_list, name="task_list"),
    path("<str:reference>/check-your-answers/", views.check_answers, name="check_answers"),
    path("<str:reference>/confirmation/", views.confirmation, name="confirmation"),
    path("<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:reference>/conflicts-of-interest/add/", views.add_conflict, name="add_conflict"),
    path(
        "<str:reference>/conflicts-of-interest/<int:conflict_id>/remove/",
        views.remove_conflict,
        name="remove_conflict",
    ),
    path("<str:reference>/<slug:section>/", views.section, name="section"),
]
