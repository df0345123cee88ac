"""``python -m devstack``: the local-development commands (see devstack/cli.py)."""

import os
import sys

from devstack.cli import main
from devstack.settings import DevstackSettings

# Before any settings are read, so these commands see the running stack's addresses.
os.environ.setdefault("ENV_FILE", str(DevstackSettings().env_file))
sys.exit(main())
