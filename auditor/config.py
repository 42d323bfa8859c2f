"""Audit settings: mlaudit.toml in the release folder, overridden by command-line options."""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditor.harvest.folder import refusal
from auditor.parsed import TOML
from auditor.readers.text import read_text
from auditor.vocabulary import ENGINES, HUB_KINDS, RELATIONS

CONFIG_NAME = "mlaudit.toml"
MAX_OWN_BYTES = 64 * 1024 * 1024  # a review file of a lake may hold a hundred thousand decisions
USES = ("commercial", "non-commercial", "research")
DISTRIBUTIONS = ("weights", "api", "internal")
DEFAULT_POSITION = "conservative"
KNOWLEDGE_MAX_AGE_MONTHS = 12
# a millennium: longer would carry a verification date past the year 9999 Python's dates end at
MAX_KNOWLEDGE_AGE_MONTHS = 12_000


def today() -> dt.date:
    """The default date an audit judges expiry and staleness on (UTC, the same worldwide)."""
    return dt.datetime.now(dt.UTC).date()


class ConfigError(ValueError):
    """mlaudit.toml or an option is wrong; the message names the file and the setting."""


@dataclass(frozen=True)
class LakeOverride:
    """How the assets of one organisation, or those whose id matches a glob, are released in a lake."""

    org: str | None  # every asset published by it (models and datasets)
    assets: str | None  # a glob on the asset id as reports name it (datasets/org/x), in any case
    use: str | None
    distribution: str | None

    def matches(self, name: str, organisation: str) -> bool:
        if self.org is not None:
            return organisation.lower() == self.org.lower()
        return fnmatch.fnmatchcase(name.lower(), (self.assets or "").lower())


@dataclass(frozen=True)
class Lake:
    """How `mlaudit lake` releases each asset: a default, then every matching override in turn
    (a later one wins on what it sets), as [lake] and [[lake.override]] in mlaudit.toml say."""

    use: str = "commercial"
    distribution: str = "weights"
    overrides: tuple[LakeOverride, ...] = ()
    configured: frozenset[str] = frozenset()  # of use and distribution, those [lake] sets itself (its evidence)

    def release(self, name: str, organisation: str) -> tuple[str, str, str | None]:
        """(use, distribution, the settings that decided them, as `named` gives them) of the asset
        reports call `name`, published by `organisation` (naming.organisation)."""
        use, distribution, where = self.decided(name, organisation)
        return use, distribution, named(where)

    def decided(self, name: str, organisation: str) -> tuple[str, str, dict[str, str | None]]:
        """(use, distribution, the setting that decided each: `lake.override[i]`, `lake`, or None
        for mlaudit's own default): an override decides only what it sets."""
        use, distribution = self.use, self.distribution
        where: dict[str, str | None] = {k: "lake" if k in self.configured else None for k in ("use", "distribution")}
        for i, rule in enumerate(self.overrides):
            if rule.matches(name, organisation):
                use, distribution = rule.use or use, rule.distribution or distribution
                where.update({k: f"lake.override[{i}]" for k in ("use", "distribution") if getattr(rule, k)})
        return use, distribution, where


def named(where: Mapping[str, str | None]) -> str | None:
    """The settings that decided a release's use and distribution (`where`: each one's, None for
    mlaudit's default), as its row and its release fact's evidence name them: the one setting, or
    each with what it decided (`use: lake.override[0], distribution: lake.override[1]`)."""
    settings = {s for s in where.values() if s is not None}
    if len(settings) <= 1:
        return next(iter(settings), None)
    return ", ".join(f"{k}: {s}" for k, s in where.items() if s is not None)


@dataclass(frozen=True)
class Settings:
    asset: str | None = None  # as reports name it: org/name, or datasets/org/name for a dataset
    use: str = "commercial"
    distribution: str = "weights"
    position: str = DEFAULT_POSITION
    profiles: tuple[str, ...] = ()
    engine: str = "clingo"
    lineage: tuple[tuple[str, str, str], ...] = ()  # (child, parent, relation) the manifests do not state
    knowledge_max_age_months: int = KNOWLEDGE_MAX_AGE_MONTHS  # license knowledge older than this is stale
    as_of: dt.date | None = None  # the date staleness (and resolution expiry) is judged on; None: today
    lake: Lake = Lake()  # how `mlaudit lake` releases each asset
    records_kind: str | None = None  # of a Hub table's rows when neither they nor its name say (--records-kind)
    origin: dict[str, str] = field(default_factory=dict, compare=False)  # setting -> where it came from
    unused: tuple[str, ...] = ()  # what this command does not use of mlaudit.toml, and why: to say so

    def override(self, **options: object) -> Settings:
        given = {k: v for k, v in options.items() if v not in (None, ())}
        base = self._released_as(str(given["asset"])) if "asset" in given else self
        origin = {**base.origin, **{k: "command line" for k in given}}
        # the command line's values, of the types its parser gives; `_checked` refuses wrong values
        return _checked(replace(base, **given, origin=origin), "command line")  # type: ignore[arg-type]

    def _released_as(self, asset: str) -> Settings:
        """The settings for `asset`, named on the command line: [release]'s use and distribution
        describe the release mlaudit.toml names, so for another asset they are set aside, and said,
        and [lake] or mlaudit's defaults decide, as they do for that asset's row in a lake."""
        told = [k for k in ("use", "distribution") if self.origin.get(k) == CONFIG_NAME]
        if self.origin.get("asset") != CONFIG_NAME or not told or asset.lower() == str(self.asset).lower():
            return self
        written = ", ".join(f"{k} = {getattr(self, k)!r}" for k in told)
        said = f"{CONFIG_NAME}: [release] {written} not used: it describes {self.asset}, not {asset}"
        return replace(
            self,
            **{k: getattr(DEFAULT, k) for k in told},
            origin={**self.origin, **{k: DEFAULT.origin[k] for k in told}},
            unused=(*self.unused, said),
        )


def without_release(settings: Settings) -> Settings:
    """The settings of a command that audits every asset (a lake): mlaudit.toml's [release] names
    one release and how it is released, so its asset, use and distribution are set aside, and
    listed as unused, for the command to say so ([lake] releases each asset)."""
    given = [k for k in ("asset", "use", "distribution") if settings.origin.get(k) == CONFIG_NAME]
    if not given:
        return settings
    written = ", ".join(f"{k} = {getattr(settings, k)!r}" for k in given)
    said = f"{CONFIG_NAME}: [release] {written} not used: it describes one release, and a lake audits every asset"
    origin = {k: v for k, v in settings.origin.items() if k != "asset"}
    origin.update({k: DEFAULT.origin[k] for k in given if k != "asset"})
    return replace(
        settings,
        asset=None,
        use=DEFAULT.use,
        distribution=DEFAULT.distribution,
        origin=origin,
        unused=(*settings.unused, f"{said}, each released as [lake] says"),
    )


def load(folder: Path) -> Settings:
    return parse(text(folder), folder / CONFIG_NAME)


def text(folder: Path) -> str | None:
    """The folder's mlaudit.toml, or None when it has none, or only a link leading out of it (the
    audited folder is the boundary) or something other than a regular file."""
    path = folder / CONFIG_NAME
    if refusal(path, folder.resolve()) is not None:
        return None
    return read_own(path, CONFIG_NAME)


def read_own(path: Path, what: str) -> str:
    """The text of one of mlaudit's own files (mlaudit.toml, a review file; `what` names it), read
    as a manifest is (readers.text: a regular file alone, a FIFO would block the audit and /dev/zero
    never end); a ConfigError names the file and the problem."""
    text, error = read_text(path, MAX_OWN_BYTES)
    if error:
        raise ConfigError(f"{path}: {what}: {error[1]}")
    return text


def parse(text: str | None, path: Path | str) -> Settings:
    """Settings from the text of an mlaudit.toml (`path` names it in messages)."""
    if text is None:
        return DEFAULT
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once a nested array or table: its depth is Python's limit
        raise ConfigError(f"{path}: arrays or tables nested too deeply to read; refused") from None
    release, audit = data.get("release", {}), data.get("audit", {})
    unknown = sorted(set(data) - {"release", "audit", "lineage", "lake"})
    if unknown:
        raise ConfigError(
            f"{path}: unknown table(s) {', '.join(unknown)}; expected [release], [audit], [lake] and [[lineage]]"
        )
    for table, allowed in (
        (release, {"asset", "use", "distribution"}),
        (audit, {"position", "profiles", "engine", "knowledge_max_age_months"}),
    ):
        extra = sorted(set(table) - allowed)
        if extra:
            raise ConfigError(f"{path}: unknown setting(s) {', '.join(extra)}")
    values = {k: release[k] for k in ("asset", "use", "distribution") if k in release}
    values.update({k: audit[k] for k in ("position", "engine", "knowledge_max_age_months") if k in audit})
    if "profiles" in audit:
        if not isinstance(audit["profiles"], list) or not all(isinstance(p, str) for p in audit["profiles"]):
            raise ConfigError(f"{path}: profiles must be a list of profile names")
        values["profiles"] = tuple(audit["profiles"])
    values["lineage"] = tuple(_lineage(entry, i, path) for i, entry in enumerate(data.get("lineage", [])))
    if "lake" in data:
        values["lake"] = _lake(data["lake"], path)
    origin = {k: "mlaudit.toml" for k in values}
    for k in ("use", "distribution", "position"):
        origin.setdefault(k, "default")
    return _checked(Settings(**values, origin=origin), str(path))


DEFAULT = Settings(origin={"use": "default", "distribution": "default", "position": "default"})


def _lineage(entry: TOML, i: int, path: Path | str) -> tuple[str, str, str]:
    """A [[lineage]] entry: an edge the manifests do not state (e.g. data generated by a model)."""
    if not isinstance(entry, dict) or set(entry) != {"child", "parent", "relation"}:
        raise ConfigError(f"{path}: lineage[{i}] needs exactly child, parent and relation")
    if entry["relation"] not in RELATIONS:
        raise ConfigError(f"{path}: lineage[{i}] relation {entry['relation']!r} is not one of {', '.join(RELATIONS)}")
    return str(entry["child"]), str(entry["parent"]), entry["relation"]


def _lake(table: TOML, path: Path | str) -> Lake:
    """The [lake] table: a default use and distribution, and [[lake.override]] entries, each
    naming one `org` or one `assets` glob and the `use` and/or `distribution` its assets get."""
    if not isinstance(table, dict) or set(table) - {"use", "distribution", "override"}:
        raise ConfigError(f"{path}: [lake] takes use, distribution and [[lake.override]] entries")
    overrides = []
    for i, entry in enumerate(table.get("override", [])):
        where = f"{path}: lake.override[{i}]"
        if not isinstance(entry, dict) or set(entry) - {"org", "assets", "use", "distribution"}:
            raise ConfigError(f"{where} takes org or assets, and use and/or distribution")
        if len({"org", "assets"} & set(entry)) != 1 or not {"use", "distribution"} & set(entry):
            raise ConfigError(f"{where} needs exactly one of org and assets, and use and/or distribution")
        if not all(isinstance(v, str) and v.strip() for v in entry.values()):
            raise ConfigError(f"{where}: every value must be a non-empty string")
        _release_values(entry.get("use"), entry.get("distribution"), where)
        overrides.append(
            LakeOverride(entry.get("org"), entry.get("assets"), entry.get("use"), entry.get("distribution"))
        )
    lake = Lake(overrides=tuple(overrides), configured=frozenset({"use", "distribution"} & set(table)))
    lake = replace(lake, **{k: table[k] for k in ("use", "distribution") if k in table})
    _release_values(lake.use, lake.distribution, f"{path}: [lake]")
    return lake


def _release_values(use: object, distribution: object, where: str) -> None:
    for name, value, allowed in (("use", use, USES), ("distribution", distribution, DISTRIBUTIONS)):
        if value is not None and value not in allowed:
            raise ConfigError(f"{where}: {name} = {value!r} is not one of {', '.join(allowed)}")


def _checked(s: Settings, where: str) -> Settings:
    for name, value, allowed in (
        ("use", s.use, USES),
        ("distribution", s.distribution, DISTRIBUTIONS),
        ("engine", s.engine, ENGINES),
    ):
        if value not in allowed:
            raise ConfigError(f"{where}: {name} = {value!r} is not one of {', '.join(a for a in allowed if a)}")
    months = s.knowledge_max_age_months
    if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= MAX_KNOWLEDGE_AGE_MONTHS:
        raise ConfigError(
            f"{where}: knowledge_max_age_months = {months!r} is not a number of months "
            f"(0 to {MAX_KNOWLEDGE_AGE_MONTHS})"
        )
    if s.records_kind not in (None, *HUB_KINDS):
        raise ConfigError(f"{where}: records kind {s.records_kind!r} is not one of {', '.join(HUB_KINDS)}")
    if s.asset is not None and (not isinstance(s.asset, str) or not s.asset.strip()):
        raise ConfigError(f"{where}: release asset must be a non-empty string")
    return s
