"""`python -m auditor` is the same as the `mlaudit` command."""

import sys

from auditor.cli import main

sys.exit(main())
