"""The `in` lookup on integer columns drops ids the column cannot hold, as Django's own `exact` already does.

Django 5.2 answers `pk=99999999999999999999` with no rows but passes the same value in `pk__in=[…]` to the database:
SQLite raises OverflowError and PostgreSQL compares it as a numeric, so an id typed into a query string or posted for
a multiple choice was a 500 on one database and not on the other. Dropped, it is simply not found.
"""

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
