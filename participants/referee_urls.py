from django.urls import path

from .views import referee

app_name = "referee"

urlpatterns = [
    path("<str:token>/", referee.answer, name="answer"),
]
