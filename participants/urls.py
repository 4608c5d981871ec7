from django.urls import path

from .views import eoi

app_name = "participants"

urlpatterns = [
    path("", eoi.applications, name="applications"),
    path("express-interest/", eoi.express_interest, name="express_interest"),
    path("<str:reference>/", eoi.task_list, name="task_list"),
    path("<str:reference>/check-your-answers/", eoi.check_answers, name="check_answers"),
    path("<str:reference>/confirmation/", eoi.confirmation, name="confirmation"),
    path("<str:reference>/withdraw/", eoi.withdraw, name="withdraw"),
    path("<str:reference>/conflicts-of-interest/add/", eoi.add_conflict, name="add_conflict"),
    path(
        "<str:reference>/conflicts-of-interest/<int:conflict_id>/remove/",
        eoi.remove_conflict,
        name="remove_conflict",
    ),
    path("<str:reference>/<slug:section>/", eoi.section, name="section"),
]
