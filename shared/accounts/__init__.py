"""The HubSpot accounts the app is installed in: OAuth installs, their tokens (encrypted at
rest, refreshed ahead of expiry once across all workers) and their state."""
