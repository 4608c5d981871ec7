from django.apps import AppConfig


class StepChangeConfig(AppConfig):
    name = "stepchange"
    verbose_name = "Service"
