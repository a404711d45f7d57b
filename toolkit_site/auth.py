"""The user of a logged-in request, read with one precompiled statement.

Every page of a logged-in member loads their user; Django's ModelBackend compiles the same ORM
query on each request, which costs more than running it (0.47 ms against 0.20 ms here). This
backend differs only there.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from .sql import ModelColumns


class UserBackend(ModelBackend):
    _statement: tuple[str, ModelColumns] | None = None

    @classmethod
    def _select(cls) -> tuple[str, ModelColumns]:
        if cls._statement is None:
            meta = get_user_model()._meta
            columns = ModelColumns(get_user_model(), "u")
            cls._statement = (
                f'SELECT {columns.sql} FROM "{meta.db_table}" u WHERE u."{meta.pk.column}" = %s',
                columns,
            )
        return cls._statement

    def get_user(self, user_id):
        # `user_id` comes from the session, already converted by django.contrib.auth.
        sql, columns = self._select()
        alias = router.db_for_read(get_user_model())
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = columns.instance(row, alias)
        return user if self.user_can_authenticate(user) else None
