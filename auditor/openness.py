"""Model Openness Framework (MOF) classification, computed as the Model Openness Tool (MOT) computes it.

The MOF is a classification, not a checklist, so it is computed here rather than by the documentation
rules; the framework's knowledge (components, classes, open and type-appropriate licenses) is data in
rules/profiles/mof.yaml. The rule, checked against the MOT's oracle (fixtures/mof-oracle/):

- A class needs every required component of that class and of the lower ones (Class III is the lowest,
  Class I the highest).
- A required component is met when the release lists it under an open license: its own license, else the
  global license for its content type, else the distribution license. An open license of another content
  type still meets it (the MOT gives a conditional pass); those are listed in `not_type_appropriate`.
- A Research paper takes the place of a missing Technical report; in Class I, which requires the paper
  anyway, the report is then not required at all.
- A class's progress is the share of its required components met (met / required * 100, the MOT's float),
  and 0 until every lower class is complete. The class is the highest one at 100 (0 = unclassified).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from auditor.model import Statement
from auditor.parsed import YAML
from auditor.readers import safeyaml

CLASSES = (3, 2, 1)  # lowest first: each class builds on the ones before it
NO_LICENSE = frozenset({"", "unlicensed"})  # "unlicensed" is the MOT's value for a component included without a license
Missing = tuple[tuple[str, str], ...]  # (component, why it is not met)
_NONE = "NONE"  # the MOF reader's value for a component without a license of its own (auditor/harvest/mof.py)


@dataclass(frozen=True)
class Component:
    name: str
    content_type: str  # code | data | document
    class_: int
    required: bool


@dataclass(frozen=True)
class Framework:
    """The MOF as rules/profiles/mof.yaml states it."""

    components: tuple[Component, ...]
    labels: dict[int, str]
    substitutes: dict[str, str]  # component -> the component that may take its place
    open_licenses: frozenset[str]  # license ids, case-folded
    type_appropriate: dict[str, frozenset[str]]  # content type -> license ids, case-folded

    def required(self, class_: int) -> tuple[Component, ...]:
        """What a class needs: its own required components and those of every lower class."""
        return tuple(c for c in self.components if c.required and c.class_ >= class_)

    def is_open(self, license_: str) -> bool:
        """Whether the MOF names the license open. SPDX license ids match without regard to case (the
        SPDX specification's license expression annex): the Hub and hand-written MOF files spell them
        'apache-2.0', 'cc-by-4.0'."""
        return license_.casefold() in self.open_licenses

    def suits(self, content_type: str, license_: str) -> bool:
        """Whether the MOF names the license for components of this content type (case as is_open)."""
        return license_.casefold() in self.type_appropriate.get(content_type, frozenset())


@dataclass(frozen=True)
class Openness:
    """A release's MOF class (0 = unclassified), progress per class and what each class still lacks."""

    class_: int
    label: str
    progress: dict[str, float]  # "1" | "2" | "3" -> percentage
    missing: dict[str, Missing]  # class -> (component, why it is not met)
    not_type_appropriate: tuple[tuple[str, str], ...] = ()  # (component, license): open, but not for its type


def load(path: Path) -> Framework:
    """The framework from rules/profiles/mof.yaml; a license is open when any of its license lists names it."""
    data = safeyaml.load(path.read_text(encoding="utf-8"))
    components = tuple(
        Component(c["name"], c["content_type"], int(c["class"]), bool(c["required"])) for c in data["components"]
    )
    by_type = {kind: frozenset(i.casefold() for i in ids) for kind, ids in data["type_appropriate"].items()}
    open_ids = frozenset(i.casefold() for ids in data["licenses"].values() for i in ids).union(*by_type.values())
    return Framework(
        components,
        {int(k): v for k, v in data["classes"].items()},
        dict(data.get("substitutes", {})),
        open_ids,
        by_type,
    )


def classify(model: YAML, framework: Framework) -> Openness:
    """Classify a parsed MOF model file ({"release": {"license": ..., "components": [...]}})."""
    release = model.get("release") if isinstance(model, dict) else None
    release = release if isinstance(release, dict) else {}
    return _evaluate(framework, _listed(release.get("components")), _globals(release.get("license")))


def from_statements(statements: Iterable[Statement], framework: Framework) -> Openness:
    """The same classification from the statements the MOF reader records for a release:
    `mof:license:<type>` (global licenses) and `mof:component:<name>` (own license, NONE when it has none)."""
    licenses: dict[str, dict[str, str | None]] = {}
    components: list[dict[str, str]] = []
    for statement in statements:
        value = None if statement.value == _NONE else statement.value
        if statement.field.startswith("mof:license:"):
            licenses[statement.field.removeprefix("mof:license:")] = {"name": value}
        elif statement.field.startswith("mof:component:"):
            name = statement.field.removeprefix("mof:component:")
            components.append({"name": name, "license": value} if value else {"name": name})
    return classify({"release": {"license": licenses, "components": components}}, framework)


def _text(value: YAML) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _globals(licenses: YAML) -> dict[str, str]:
    """Global license names by content type (and `distribution`); empty names do not count."""
    if not isinstance(licenses, dict):
        return {}
    names = {kind: _text(entry.get("name")) for kind, entry in licenses.items() if isinstance(entry, dict)}
    return {kind: name for kind, name in names.items() if name}


def _listed(components: YAML) -> dict[str, str | None]:
    """Listed component name -> its own license; None when it gives none (and so inherits a global one).
    An explicitly empty license is kept as "": the MOT then treats the component as unlicensed."""
    listed: dict[str, str | None] = {}
    for entry in components if isinstance(components, list) else ():
        name = _text(entry.get("name")) if isinstance(entry, dict) else None
        if name and name not in listed:
            listed[name] = _text(entry.get("license"))
    return listed


def _license(component: Component, listed: dict[str, str | None], globals_: dict[str, str]) -> str | None:
    """The component's own license, else the global one for its content type, else the distribution's."""
    own = listed[component.name]
    license_ = own if own is not None else globals_.get(component.content_type) or globals_.get("distribution")
    return None if license_ is None or license_.lower() in NO_LICENSE else license_


def _unmet(
    framework: Framework, component: Component, listed: dict[str, str | None], globals_: dict[str, str]
) -> str | None:
    """Why a component does not count towards a class, or None when it does."""
    if component.name not in listed:
        return "not included in the release"
    license_ = _license(component, listed, globals_)
    if license_ is None:
        return "included without a license"
    if not framework.is_open(license_):
        return f"license '{license_}' is not an open license"
    return None


def _tally(framework: Framework, class_: int, why: dict[str, str | None]) -> tuple[int, int, Missing]:
    """(met, required, missing) for a class. A met stand-in fills the place of an unmet component it
    substitutes; where the class requires the stand-in itself, the component is not required at all."""
    required = framework.required(class_)
    names = {c.name for c in required}
    met, total = 0, 0
    missing: list[tuple[str, str]] = []
    for component in required:
        reason = why[component.name]
        stand_in = framework.substitutes.get(component.name)
        if reason and stand_in and why[stand_in] is None:
            if stand_in in names:
                continue
            reason = None
        total += 1
        if reason is None:
            met += 1
        else:
            missing.append((component.name, reason))
    return met, total, tuple(missing)


def _evaluate(framework: Framework, listed: dict[str, str | None], globals_: dict[str, str]) -> Openness:
    """Progress per class, lowest first, computed as met / required * 100 so the floats equal the MOT's."""
    why = {c.name: _unmet(framework, c, listed, globals_) for c in framework.components}
    progress = dict.fromkeys("123", 0.0)  # Class I first, as the MOT lists them
    missing: dict[str, Missing] = dict.fromkeys("123", ())
    lower_complete = True
    for class_ in CLASSES:
        met, total, missing[str(class_)] = _tally(framework, class_, why)
        progress[str(class_)] = met / total * 100 if lower_complete else 0.0
        lower_complete = lower_complete and met == total
    reached = min((c for c in CLASSES if progress[str(c)] == 100), default=0)
    return Openness(
        reached, framework.labels[reached], progress, missing, _not_type_appropriate(framework, listed, globals_, why)
    )


def _not_type_appropriate(
    framework: Framework, listed: dict[str, str | None], globals_: dict[str, str], why: dict[str, str | None]
) -> tuple[tuple[str, str], ...]:
    """Listed components whose open license the MOF does not name for their content type."""
    found = []
    for component in framework.components:
        if component.name in listed and why[component.name] is None:
            license_ = _license(component, listed, globals_)
            if license_ is not None and not framework.suits(component.content_type, license_):
                found.append((component.name, license_))
    return tuple(found)
