"""The store over a direct Postgres connection (psycopg, pooled)."""

from __future__ import annotations

from typing import Any

from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from shared.store.accounts import AccountFunctions
from shared.store.base import as_json_value
from shared.store.review import ReviewFunctions
from shared.store.runs import RunFunctions


class PostgresStore(RunFunctions, ReviewFunctions, AccountFunctions):
    def __init__(self, database_url: str, max_connections: int = 8) -> None:
        self.pool = ConnectionPool(
            database_url,
            min_size=1,
            max_size=max_connections,
            kwargs={"autocommit": True, "connect_timeout": 10},
            timeout=30,
            open=True,
        )

    def close(self) -> None:
        self.pool.close()

    def rpc(self, function: str, params: dict[str, Any]) -> Any:
        arguments = sql.SQL(", ").join(
            sql.SQL("{} => {}").format(sql.Identifier(name), sql.Placeholder(name))
            for name in params
        )
        query = sql.SQL("select * from public.{}({})").format(sql.Identifier(function), arguments)
        values = {k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in params.items()}
        with self.pool.connection() as conn:
            cursor = conn.execute(query, values)
            names = [column.name for column in cursor.description or []]
            rows = [
                {name: as_json_value(value) for name, value in zip(names, row, strict=True)}
                for row in cursor.fetchall()
            ]
        if names == [function]:  # a scalar function: its one value, as PostgREST answers
            return rows[0][function] if rows else None
        return rows
