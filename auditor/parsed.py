"""Type names for parsed JSON, YAML and TOML: data whose shape a schema or the reading code checks
at run time, not the type checker. Saying `JSON` rather than `Any` marks each such place as deliberate."""

from typing import Any

JSON = Any  # a value parsed from JSON (or built to be written as JSON): the report document and its parts
YAML = Any  # a value parsed from YAML (a knowledge-base entry, a profile, a review file)
TOML = Any  # a value parsed from TOML (mlaudit.toml)
JSONObject = dict[str, JSON]
