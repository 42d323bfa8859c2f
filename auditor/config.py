"""Audit settings: mlaudit.toml in the release folder, overridden by command-line options."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

USES = ("commercial", "non-commercial", "research")
DISTRIBUTIONS = ("weights", "api", "internal")
DEFAULT_POSITION = "conservative"


class ConfigError(ValueError):
    """mlaudit.toml or an option is wrong; the message names the file and the setting."""


@dataclass(frozen=True)
class Settings:
    asset: str | None = None
    kind: str | None = None
    use: str = "commercial"
    distribution: str = "weights"
    position: str = DEFAULT_POSITION
    profiles: tuple[str, ...] = ()
    origin: dict = field(default_factory=dict, compare=False)  # setting -> where it came from

    def override(self, **options) -> Settings:
        given = {k: v for k, v in options.items() if v not in (None, ())}
        origin = {**self.origin, **{k: "command line" for k in given}}
        return _checked(replace(self, **given, origin=origin), "command line")


def load(folder: Path) -> Settings:
    path = folder / "mlaudit.toml"
    if not path.is_file():
        return Settings(origin={"use": "default", "distribution": "default", "position": "default"})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    release, audit = data.get("release", {}), data.get("audit", {})
    unknown = sorted(set(data) - {"release", "audit"})
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {', '.join(unknown)}; expected [release] and [audit]")
    for table, allowed in ((release, {"asset", "kind", "use", "distribution"}), (audit, {"position", "profiles"})):
        extra = sorted(set(table) - allowed)
        if extra:
            raise ConfigError(f"{path}: unknown setting(s) {', '.join(extra)}")
    values = {k: release[k] for k in ("asset", "kind", "use", "distribution") if k in release}
    values.update({k: audit[k] for k in ("position",) if k in audit})
    if "profiles" in audit:
        values["profiles"] = tuple(audit["profiles"])
    origin = {k: "mlaudit.toml" for k in values}
    for k in ("use", "distribution", "position"):
        origin.setdefault(k, "default")
    return _checked(Settings(**values, origin=origin), str(path))


def _checked(s: Settings, where: str) -> Settings:
    for name, value, allowed in (("use", s.use, USES), ("distribution", s.distribution, DISTRIBUTIONS),
                                 ("kind", s.kind, (None, "model", "dataset", "code", "other"))):
        if value not in allowed:
            raise ConfigError(f"{where}: {name} = {value!r} is not one of "
                              f"{', '.join(a for a in allowed if a)}")
    if s.asset is not None and (not isinstance(s.asset, str) or not s.asset.strip()):
        raise ConfigError(f"{where}: release asset must be a non-empty string")
    return s
