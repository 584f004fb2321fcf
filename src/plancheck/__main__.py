"""``python -m plancheck``: the same as the ``plancheck`` command."""

import sys

from plancheck.cli import main

sys.exit(main())
