from django.urls import path

from .views import eoi

app_name = "participants"

urlpatterns = [
    path("", eoi.applications, name="applications"),
    path("express-interest/", eoi.express_interest, name="express_interest"),
    path("<reference:reference>/", eoi.task_list, name="task_list"),
    path("<reference:reference>/check-your-answers/", eoi.check_answers, name="check_answers"),
    path("<reference:reference>/confirmation/", eoi.confirmation, name="confirmation"),
    path("<reference:reference>/withdraw/", eoi.withdraw, name="withdraw"),
    path("<reference:reference>/conflicts-of-interest/add/", eoi.add_conflict, name="add_conflict"),
    path(
        "<reference:reference>/conflicts-of-interest/<int:conflict_id>/remove/",
        eoi.remove_conflict,
        name="remove_conflict",
    ),
    path("<reference:reference>/<slug:section>/", eoi.section, name="section"),
]
