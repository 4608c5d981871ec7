from django.urls import path

from . import referee_views

app_name = "referee"

urlpatterns = [
    path("<str:token>/", referee_views.answer, name="answer"),
]
