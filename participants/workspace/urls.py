from django.urls import path

from . import views

app_name = "workspace"

project = "<slug:slug>/projects/<code:code>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("interests/", views.interests, name="interests"),
    path("interests/<int:pk>/remove/", views.interest_remove, name="interest_remove"),
    path("<slug:slug>/", views.workstream, name="workstream"),
    path(project, views.project, name="project"),
    path(f"{project}edit/", views.project_edit, name="project_edit"),
    path(f"{project}revisions/", views.revisions, name="revisions"),
    path(f"{project}revisions/compare/", views.compare, name="compare"),
    path(f"{project}applicants/", views.applicants, name="applicants"),
    path(f"{project}applicants.csv", views.applicants_csv, name="applicants_csv"),
    path(f"{project}applicants/<reference:reference>/", views.applicant, name="applicant"),
    path(f"{project}team/", views.team, name="team"),
]
