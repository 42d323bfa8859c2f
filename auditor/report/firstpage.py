"""The report's first page in words: the verdict as a sentence, the blockers and what clears each.

Formatting only: every reason is a message the document already carries (the first open error's
message is the verdict's reason), every fix is the document's own `fix` or `repairs`.
"""

from __future__ import annotations

from auditor.parsed import JSONObject


def blockers(document: JSONObject) -> list[JSONObject]:
    """The open errors, in the document's order: what keeps the release from passing."""
    return [f for f in document["findings"] if f["severity"] == "error" and f["status"] == "open"]


def verdict_sentence(document: JSONObject) -> str:
    """The verdict in one sentence, with its reason in the document's own words; a gate that fails
    on more than the verdict (a documentation score, warnings) first, for the job failed on it."""
    gated = "".join(f"Fails the gate {g}. " for g in gate_failures(document))
    if document["verdict"] == "incomplete":
        return gated + "Incomplete: no release asset was identified, so the audit cannot judge a release."
    why = reason(document)
    if why is None:
        warnings = document["counts"]["warning"]
        passes = "The release itself passes" if gated else "Passes"
        return f"{gated}{passes}: {document['release']['asset']} has no open error{_warnings(warnings)}."
    return f"{gated}Fails: {why}"


def gate_failures(document: JSONObject) -> list[str]:
    """The gate's failures the verdict does not already give ("--fail-under 60: ..."): every one
    when the release passes, else those of documentation scores; none for a report without a gate."""
    gate = document.get("gate")
    if not gate:
        return []
    own = [f for f in gate["failures"] if document["verdict"] == "pass" or not f["option"].startswith("--fail-on")]
    return [f"{f['option']}: {f['reason']}" for f in own]


def reason(document: JSONObject) -> str | None:
    """Why the release fails, in words: the first open error's message (the report's order puts the
    gravest first) and how many more there are; None when nothing blocks it."""
    errors = blockers(document)
    if not errors:
        return None
    more = len(errors) - 1
    return str(errors[0]["message"]) + (f" (and {more} more error{'s' if more > 1 else ''})" if more else "")


def _warnings(count: int) -> str:
    return f" ({count} warning{'s' if count != 1 else ''} still open)" if count else ""


def flagged(document: JSONObject) -> list[JSONObject]:
    """The obligations the first page lists: those unmet, and those whose term an open error is
    about (a blocker whatever the files show, such as the unknown terms of an unlicensed upstream)."""
    errors = {f["id"] for f in blockers(document)}
    return [o for o in document["obligations"] if o["status"] == "unmet" or errors & set(o.get("findings", []))]


def concerning(document: JSONObject, obligation: JSONObject) -> list[str]:
    """The findings about an obligation's term, in words: an open one with its severity, a resolved
    one with the decision that accepts it (its status stays as the files show it)."""
    by_id = {f["id"]: f for f in document["findings"] if f["id"] in obligation.get("findings", [])}
    decided = {r["finding"]: r for r in obligation.get("resolved", [])}
    said = []
    for i, f in by_id.items():
        if i in decided:
            r = decided[i]
            where = f"{r['file']}:{r['line']}" if r["line"] else r["file"]
            said.append(f"{i} resolved ({r['reason']}, {r['reviewer']}, {r['date']}; {where})")
        else:
            said.append(f"{i} {f['status']} {f['severity']}")
    return said


def changes_line(remedy: JSONObject) -> str:
    """A remedy (a finding's `fix` or the release's `repairs`) as one line: its changes, any one of
    which clears it, or its note when none was found."""
    if remedy["status"] != "found" or not remedy["changes"]:
        return str(remedy["note"])
    return "; or ".join(str(c["says"]) for c in remedy["changes"])
