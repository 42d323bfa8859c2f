"""The documentation gate of `--fail-under`: the release's own completeness score per profile.

The release's card is the documentation its team can change, so the gate reads the release's own
score (report.json's `documentation` entry for the release), not the lineage's mean, which
upstream cards the team does not own would drag down. A bare threshold applies to every profile
of the audit that scores the release; `PROFILE=N` to that profile, over a bare one. Nothing passes
by being unmeasurable: no release, or a named profile that gives the release no score, fails.
"""

from __future__ import annotations

from auditor.parsed import JSONObject

Threshold = tuple[str | None, int]  # (profile, or None for every profile; the lowest score that passes)


class GateError(ValueError):
    """A threshold names a profile the audit did not apply: a usage error, not a verdict."""


def parse(text: str) -> Threshold:
    """`60` or `hf-model-card=60`; raises ValueError for anything else (argparse reports it)."""
    profile, sep, number = text.rpartition("=")
    if not number.isdigit() or int(number) > 100 or (sep and not profile):
        raise ValueError(f"{text!r} is not a score 0-100 or PROFILE=score")
    return profile or None, int(number)


def shortfalls(doc: JSONObject, thresholds: list[Threshold]) -> list[tuple[Threshold, str]]:
    """Why the gate fails, one sentence a profile, each with the threshold it fails (empty when it passes)."""
    wanted = _by_profile(doc, thresholds)
    release = doc["release"]["asset"]
    if not wanted:
        return []
    if not release:
        return [(thresholds[-1], "no release identified, so no documentation score to gate")]
    scores = {d["profile"]: d["score"] for d in doc["documentation"] if d["asset"] == release}
    named = {p for p, _ in thresholds if p}
    problems = []
    for profile, threshold in wanted.items():
        lowest = threshold[1]
        if profile in scores and scores[profile] < lowest:
            problems.append((threshold, f"{release} scores {scores[profile]} under {profile}, below {lowest}"))
        elif profile not in scores and profile in named:
            problems.append((threshold, f"{profile} gives {release} no score to hold to {lowest}"))
    if not named and not set(wanted) & set(scores):
        problems.append((thresholds[-1], f"no profile of the audit ({', '.join(wanted)}) gives {release} a score"))
    return problems


def _by_profile(doc: JSONObject, thresholds: list[Threshold]) -> dict[str, Threshold]:
    """The threshold of each profile of the audit: its own if named, else the last bare one."""
    profiles: list[str] = doc["profiles"]
    unknown = sorted({p for p, _ in thresholds if p and p not in profiles})
    if unknown:
        raise GateError(f"--fail-under names {', '.join(unknown)}, not a profile of this audit ({', '.join(profiles)})")
    bare = [t for t in thresholds if t[0] is None]
    wanted = {p: bare[-1] for p in profiles} if bare else {}
    return wanted | {p: (p, n) for p, n in thresholds if p}
