"""The user of a logged-in request, read with one precompiled statement.

Every page of a logged-in member loads their user; Django's ModelBackend compiles the same ORM
query on each request, which costs more than running it. This backend differs only there.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    _sql: str | None = None

    def get_user(self, user_id):
        # `user_id` comes from the session, already converted by django.contrib.auth.
        user_model = get_user_model()
        if UserBackend._sql is None:
            table = user_model._meta.db_table
            key = user_model._meta.pk.column
            UserBackend._sql = f'SELECT * FROM "{table}" WHERE "{key}" = %s'
        users = list(user_model._default_manager.raw(UserBackend._sql, [user_id]))
        if users and self.user_can_authenticate(users[0]):
            return users[0]
        return None
