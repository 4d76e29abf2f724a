"""``python -m powermodel``: the command line."""

import sys

from powermodel.cli import main

sys.exit(main())
