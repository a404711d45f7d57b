"""Model instances from rows of hand-written SQL, converted as the ORM converts them.

A few statements on every request are written out in SQL because compiling them with the ORM
cost more than running them. Their rows must still become the same Python values the ORM
would give (SQLite returns text for datetimes, for example), so the backend's and the fields'
converters are applied here, as the ORM's compiler applies them.
"""

from django.db import connections


class ModelColumns:
    """The concrete columns of `model` under a table alias, and how to read a row of them."""

    def __init__(self, model, alias: str):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.sql = ", ".join(f'{alias}."{f.column}"' for f in self.fields)
        self._converters: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def _for(self, connection) -> list:
        converters = self._converters.get(connection.alias)
        if converters is None:
            converters = []
            for field in self.fields:
                column = field.get_col(self.model._meta.db_table)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                converters.append((functions, column))
            self._converters[connection.alias] = converters
        return converters

    def instance(self, values, using: str = "default"):
        connection = connections[using]
        converted = []
        for value, (functions, column) in zip(values, self._for(connection), strict=True):
            for function in functions:
                value = function(value, column, connection)
            converted.append(value)
        return self.model.from_db(using, self.attnames, converted)
