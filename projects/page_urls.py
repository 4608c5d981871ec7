"""The programme's pages at the top of the site: mounted at /."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("timeline/", views.timeline, name="timeline"),
    path("participation-and-ethics/", views.participation, name="participation"),
]
