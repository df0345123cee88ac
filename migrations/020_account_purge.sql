-- 020: an uninstalled account's purge is recorded. purged_at is when the account's rows were
-- deleted (app_purge_account), after its grace period. A new install leaves it as the
-- account's last purge: a later uninstall is newer than it, so that one is purged too.

alter table public.hubspot_accounts add column purged_at timestamptz;
