"""``python -m tango.databaseds INSTANCE``: the same as tango.databaseds.database."""

import sys

from .database import main

sys.exit(main())
