from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<code:code>/", views.project_detail, name="detail"),
    path("<code:code>/question/", views.project_question, name="question"),
    path("<code:code>/question/sent/", views.project_question_sent, name="question_sent"),
]
