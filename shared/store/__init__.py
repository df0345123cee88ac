"""Where everything the app produces is written: Supabase through its API, or Postgres
directly. Both adapters call the same SQL functions (``migrations/``), so atomicity,
idempotency and owner scoping live in one place: the database.
"""

from __future__ import annotations

from shared.settings import Settings
from shared.store.base import QueuedRun, RunResults
from shared.store.postgres import PostgresStore
from shared.store.supabase import SupabaseStore

Store = PostgresStore | SupabaseStore


def build_store(settings: Settings) -> Store:
    """Supabase when its URL and service-role key are set, otherwise DATABASE_URL."""
    if settings.uses_supabase_api:
        return SupabaseStore.from_settings(settings)
    return PostgresStore(settings.database_url or "")


__all__ = ["QueuedRun", "RunResults", "Store", "build_store"]
