from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Staff tooling for running the site: backup and restore of the database contents."""

    name = "operations"
