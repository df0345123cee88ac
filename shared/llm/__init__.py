"""LLM processing: an activity in, follow-up drafts and a next touch date out.

``client.suggest`` is the entry point. Importing litellm costs seconds, so this package
imports nothing heavy; the modules that need litellm import it themselves.
"""

import os

# litellm fetches its price map from GitHub at import unless told otherwise; workers must
# start offline and deterministic, so the copy bundled with the pinned release is used.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
