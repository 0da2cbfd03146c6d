"""manage.py rotate_keys: re-encrypt every stored ID number and phone under the newest key of FIELD_ENCRYPTION_KEYS."""

from typing import Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from lanshan_party.personal_data import EncryptedCharField, fernet


def encrypted_columns() -> list[tuple[Any, str]]:
    """(model, column) of every encrypted field in the project."""
    columns: list[tuple[Any, str]] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                columns.append((model, str(field.column)))
    return columns


class Command(BaseCommand):
    help = (
        "Re-encrypt every ID number and phone under the newest key in FIELD_ENCRYPTION_KEYS, in batches. Safe to "
        "stop and run again: rows already under the newest key are skipped. Run it after putting a new key first "
        "in FIELD_ENCRYPTION_KEYS (keeping the old ones after it) and restarting; remove an old key only once this "
        "command reports 0 rows left under it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction (default 1000).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be re-encrypted; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        size = options["batch_size"]
        if size < 1:
            raise CommandError("--batch-size must be at least 1.")
        totals = {"rotated": 0, "current": 0, "unreadable": 0}
        for model, column in encrypted_columns():
            self.rotate_column(model, column, size=size, dry_run=options["dry_run"], totals=totals)
        verb = "would re-encrypt" if options["dry_run"] else "re-encrypted"
        self.stdout.write(
            f"{verb} {totals['rotated']} values; {totals['current']} already under the newest key; "
            f"{totals['unreadable']} unreadable with every configured key."
        )
        if totals["unreadable"]:
            raise CommandError(
                f"{totals['unreadable']} values cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS: a key is "
                "missing. Restore it before removing any key; nothing was written over those values."
            )

    def rotate_column(self, model: Any, column: str, *, size: int, dry_run: bool, totals: dict[str, int]) -> None:
        """Re-encrypt one column, `size` rows per transaction, in primary-key order; say how far it got."""
        newest = fernet()._fernets[0]
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        col = connection.ops.quote_name(column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {col} <> ''")  # noqa: S608 - names from the models
            total = cursor.fetchone()[0]
        done = 0
        last: Any = None
        while True:
            where, params = (f"{pk} > %s AND", [last]) if last is not None else ("", [])
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk}, {col} FROM {table} WHERE {where} {col} <> '' ORDER BY {pk} LIMIT %s",  # noqa: S608
                    [*params, size],
                )
                rows: list[tuple[Any, str]] = list(cursor.fetchall())
                if not rows:
                    break
                updates: list[tuple[str, Any]] = []
                for row_pk, token in rows:
                    try:
                        newest.decrypt(token.encode())
                        totals["current"] += 1
                        continue
                    except InvalidToken:
                        pass
                    try:
                        updates.append((fernet().rotate(token.encode()).decode(), row_pk))
                    except InvalidToken:
                        totals["unreadable"] += 1
                if updates and not dry_run:
                    cursor.executemany(f"UPDATE {table} SET {col} = %s WHERE {pk} = %s", updates)  # noqa: S608
                totals["rotated"] += len(updates)
                done += len(rows)
                last = rows[-1][0]
            self.stdout.write(f"{model._meta.label}.{column}: {done}/{total}")
