"""The store over the Supabase API (supabase-py with the service-role key, PostgREST rpc)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from supabase import Client, ClientOptions, create_client

from shared.settings import Settings
from shared.store.accounts import AccountFunctions
from shared.store.review import ReviewFunctions
from shared.store.runs import RunFunctions


class SupabaseStore(RunFunctions, ReviewFunctions, AccountFunctions):
    def __init__(self, client: Client, http: httpx.Client | None = None) -> None:
        self.client = client
        self.http = http

    def close(self) -> None:
        if self.http is not None:
            self.http.close()

    @classmethod
    def from_settings(cls, settings: Settings, timeout: float = 10.0) -> SupabaseStore:
        key = settings.supabase_service_role_key
        # This store owns no retries: the task layer decides what is worth another try.
        http = httpx.Client(timeout=timeout)
        options = ClientOptions(
            httpx_client=http,
            postgrest_client_retry=False,
            auto_refresh_token=False,
            persist_session=False,
        )
        secret = key.get_secret_value() if key else ""
        return cls(create_client(settings.supabase_url or "", secret, options), http)

    def rpc(self, function: str, params: dict[str, Any]) -> Any:
        # uuids and datetimes travel as the strings PostgREST expects.
        body = json.loads(json.dumps(params, default=str))
        return self.client.rpc(function, body).execute().data
