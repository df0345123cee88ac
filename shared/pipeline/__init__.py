"""The processing pipeline the workers run: ingest events, fetch activities, process them."""
