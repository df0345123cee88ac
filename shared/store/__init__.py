"""Where processing runs are written: Supabase through its API, or Postgres directly.

Both adapters call the same SQL functions (migrations/002_processing_runs.sql), so the
atomicity and idempotency live in one place: the database.
"""

from __future__ import annotations

from shared.settings import Settings
from shared.store.base import QueuedRun, RunStore


def build_store(settings: Settings) -> RunStore:
    """Supabase when its URL and service-role key are set, otherwise DATABASE_URL."""
    if settings.uses_supabase_api:
        from shared.store.supabase import SupabaseStore

        return SupabaseStore.from_settings(settings)
    from shared.store.postgres import PostgresStore

    return PostgresStore(settings.database_url or "")


__all__ = ["QueuedRun", "RunStore", "build_store"]
