"""License URLs whose path names one license: the SPDX License List, Creative Commons and Open Data
Commons. Each is read as the SPDX id its path spells, so that every page of a license (the list's
IRI with or without .html or .json, a deed or legal code in any language, a jurisdiction port) names
the license the knowledge base or license-expression's index knows by that id, without an alias
for each spelling. A URL of another shape is kept as it is.
"""

from __future__ import annotations

import re

_ODC_VERSION = r"(?P<major>\d)[-.](?P<minor>\d)(?:/.*)?"  # Open Data Commons writes 1.0 as 1-0
# (a URL without scheme and www., lower case -> the id it names, lower case)
_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = (
    # https://spdx.org/licenses/MIT, .../MIT.html, .../MIT.json: the SPDX License List's IRI and pages
    (re.compile(r"spdx\.org/licenses/(?P<id>[a-z0-9][\w.+-]*?)(?:\.html|\.json|\.txt)?"), "{id}"),
    # https://creativecommons.org/licenses/by-nc/3.0/de/deed.en: CC-BY-NC-3.0-DE
    (
        re.compile(
            r"creativecommons\.org/licenses/(?P<code>[a-z]+(?:-[a-z]+)*)/(?P<version>\d\.\d)"
            r"(?:/(?!legalcode|deed)(?P<port>[a-z]+))?(?:/(?:legalcode|deed)(?:\.[a-z-]+)?)?"
        ),
        "cc-{code}-{version}{port}",
    ),
    # https://creativecommons.org/publicdomain/zero/1.0/ (CC0-1.0), .../mark/1.0/ (CC-PDM-1.0)
    (re.compile(r"creativecommons\.org/publicdomain/zero/(?P<version>\d\.\d)(?:/.*)?"), "cc0-{version}"),
    (re.compile(r"creativecommons\.org/publicdomain/mark/(?P<version>\d\.\d)(?:/.*)?"), "cc-pdm-{version}"),
    # https://opendatacommons.org/licenses/odbl/1-0/: ODbL-1.0 (pddl, dbcl alike; by: ODC-By-1.0)
    (re.compile(rf"opendatacommons\.org/licenses/(?P<code>odbl|pddl|dbcl)/{_ODC_VERSION}"), "{code}-{major}.{minor}"),
    (re.compile(rf"opendatacommons\.org/licenses/by/{_ODC_VERSION}"), "odc-by-{major}.{minor}"),
)


def named_id(key: str) -> str:
    """The id (lower case) a license URL's path names, or the key itself for any other URL."""
    for pattern, template in _FAMILIES:
        found = pattern.fullmatch(key)
        if found:
            port = found.group("port") if "port" in pattern.groupindex else None
            return template.format(**{**found.groupdict(), "port": f"-{port}" if port else ""})
    return key
