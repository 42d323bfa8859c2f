"""`python -m auditor` is the same as the `mlaudit` command."""

import sys

from auditor.cli import command

sys.exit(command())
