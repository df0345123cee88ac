-- 006: session metadata is bounded, and a verified token whose user does not exist (deleted
-- after the token was issued, or never there) is told so instead of failing on a foreign key
-- (app_rep, app_current_session, app_update_session).

-- 16 KB of app-level metadata (UI preferences and the like) per session, however it is
-- written: through the API, or by a rep through Supabase directly (RLS lets them).
alter table public.sessions
    add constraint sessions_metadata_size check (octet_length(metadata::text) <= 16384);

-- app_rep replaces app_rep_owner. A function whose file is deleted is dropped by a
-- migration, so databases that have it lose it too.
drop function if exists public.app_rep_owner(uuid);
