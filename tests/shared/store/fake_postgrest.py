"""A minimal PostgREST stand-in: /rest/v1/rpc/<function> answered from a real database.

It checks what supabase-py sends (path, API key, bearer token, JSON named parameters) and
answers the way PostgREST does: a JSON array of rows for set-returning functions, a bare
JSON value for scalar ones, and PostgREST's error JSON with status 400 on database errors.
"""

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class FakePostgrest:
    database_url: str
    service_key: str
    requests: list[dict] = field(default_factory=list)

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.answer(request)
        return response(environ, start_response)

    def answer(self, request: Request) -> Response:
        params = json.loads(request.get_data() or b"{}")
        self.requests.append(
            {"path": request.path, "headers": dict(request.headers), "params": params}
        )
        if request.headers.get("apikey") != self.service_key:
            return self.error(401, "invalid api key")
        if request.headers.get("Authorization") != f"Bearer {self.service_key}":
            return self.error(401, "invalid bearer token")
        try:
            answer = self.call(request.path.removeprefix("/rest/v1/rpc/"), params)
            return Response(json.dumps(answer, default=_as_json), content_type="application/json")
        except psycopg.Error as exc:
            return self.error(400, str(exc).splitlines()[0], code=exc.sqlstate)

    def call(self, function: str, params: dict):
        args = sql.SQL(", ").join(
            sql.SQL("{} => {}").format(sql.Identifier(name), sql.Placeholder(name))
            for name in params
        )
        values = {k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in params.items()}
        query = sql.SQL("select * from public.{}({})").format(sql.Identifier(function), args)
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            returns_set = conn.execute(
                "select proretset from pg_proc where proname = %s", (function,)
            ).fetchone()
            cursor = conn.execute(query, values)
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if returns_set and returns_set[0]:
            return rows
        return rows[0][names[0]] if rows else None

    @staticmethod
    def error(status: int, message: str, code: str | None = None) -> Response:
        body = {"code": code, "message": message, "details": None, "hint": None}
        return Response(json.dumps(body), status=status, content_type="application/json")


def serve(app: FakePostgrest):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server


def _as_json(value):
    """JSON for what psycopg returns, as PostgREST writes it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
