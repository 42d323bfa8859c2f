"""The terminal summary, and the other texts the commands print (explain, licenses, suggest).

The summary is short by default: the verdict and its reason, then each open error and warning on
one line in ruff's shape (`CMP001-ce3405 error   acme/x: message [file:line]`), info findings and
obligations counted; `verbose` prints every finding with its evidence chain.

Asset names, files and messages come from untrusted manifests, so every line is cleaned as a whole
(`plain`, unprintable characters as U+FFFD): no escape sequence, bidi control or line break of theirs
reaches the terminal. Colour is added after the cleaning, around mlaudit's own words only.
"""

from __future__ import annotations

import json
import re

from auditor.parsed import JSONObject
from auditor.readers.sanitise import plain
from auditor.report import firstpage
from auditor.report.lines import NO_ASSET, subject

SHORT_ID_DIGITS = 6  # the fewest hex digits of a finding's id the summary shows
MOST_CHANGES = 5  # of "what would clear the license conflicts"; the report lists them all


def render(
    document: JSONObject, outputs: list[str], fmt: str = "text", verbose: bool = False, colour: bool = False
) -> str:
    if fmt == "json":
        return _json_summary(document, outputs)
    release, counts = document["release"], document["counts"]
    lines = [
        f"mlaudit {document['tool']['version']} · position: {document['position']}",
        f"release: {release['asset'] or '(' + release['basis'] + ')'} · use: {release['use']} · "
        f"distribution: {release['distribution']}",
        *(f"note: {note}" for note in release.get("unused_settings", [])),
        _verdict(document),
        f"open: {counts['error']} error, {counts['warning']} warning, {counts['info']} info · "
        f"resolved: {counts['resolved']}",
        "",
        *(_chains(document) if verbose else _concise(document)),
        *_counted(document, _report_file(outputs), verbose),
        *_repairs(document["repairs"], _upstream_errors(document)),
        *_review(document["review"]),
        "",
        *(f"wrote {o}" for o in outputs),
    ]
    return _join(lines, colour)


def _verdict(document: JSONObject) -> str:
    """The verdict, and why in words: the first open error (the report's order puts the gravest
    first); a gate that fails on more than the verdict first, as `FAIL (gate ...)`."""
    verdict = document["verdict"]
    gated = firstpage.gate_failures(document)
    if gated:
        why = firstpage.reason(document)
        itself = "is incomplete" if verdict == "incomplete" else f"fails: {why}" if why else "passes: no open error"
        return f"verdict: FAIL (gate {'; '.join(gated)}); the release itself {itself}"
    if verdict == "incomplete":
        return "verdict: INCOMPLETE: no release identified; name it as [release] asset in mlaudit.toml or with --asset"
    why = firstpage.reason(document)
    return f"verdict: {verdict.upper()}" + (f": {why}" if why else "")


def _concise(document: JSONObject) -> list[str]:
    """The open errors and warnings, one a line."""
    short = short_ids(document["findings"])
    shown = [
        _line(f, short[f["id"]]) for f in document["findings"] if f["status"] == "open" and f["severity"] != "info"
    ]
    return [*shown, ""] if shown else []


def _counted(document: JSONObject, report: str, verbose: bool) -> list[str]:
    """What the summary counts and the report lists: info findings and obligations."""
    info = sorted({f["rule"] for f in document["findings"] if f["status"] == "open" and f["severity"] == "info"})
    lines = [f"info: {document['counts']['info']} open ({', '.join(info)}), listed in {report}"] if info else []
    if document["obligations"]:
        c = document["obligation_counts"]
        lines.append(
            f"obligations: {len(document['obligations'])} · {c['unmet']} unmet, {c['cannot-tell']} cannot tell, "
            f"{c['met']} met; the checklist is in {report}"
        )
        lines += [_obligation(document, o) for o in firstpage.flagged(document)]
    if document["findings"] and not verbose:
        lines.append("'mlaudit explain ID' prints a finding's evidence chain; --verbose prints them all")
    return lines


def _chains(document: JSONObject) -> list[str]:
    """Every finding, resolved ones too, each followed by its evidence chain."""
    findings, short = document["findings"], short_ids(document["findings"])
    lines = []
    for f in findings:
        lines.append(_line(f, short[f["id"]]))
        lines += [f"    ↳ {step['fact']}{_where(step)}" for step in f["evidence"]]
    return [*lines, ""] if lines else []


def _line(finding: JSONObject, short_id: str) -> str:
    """`ID severity asset: message [file:line]`, marked resolved or new."""
    marks = [m for m in (finding["status"] == "resolved" and "resolved", finding["baseline"] == "new" and "new") if m]
    return f"{short_id} {finding['severity']:<7} {subject(finding)}" + "".join(f" [{m}]" for m in marks)


def match(finding: JSONObject) -> str:
    """A finding named by its whole id, one of those an ambiguous `mlaudit explain` lists."""
    return _line(finding, finding["id"])


def short_ids(findings: list[JSONObject]) -> dict[str, str]:
    """Each id cut to the fewest hex digits (SHORT_ID_DIGITS at least) that leave every cut id the
    prefix of one id only, so `mlaudit explain` takes it. Ids are `RULE-hex`: two cuts of one
    length are prefixes of each other only when equal."""
    ids = {f["id"] for f in findings}
    for digits in range(SHORT_ID_DIGITS, max((len(i) for i in ids), default=0)):
        cut = {i: i[: i.index("-") + 1 + digits] for i in ids}
        if len(set(cut.values())) == len(ids):
            return cut
    return {i: i for i in ids}


def _report_file(outputs: list[str]) -> str:
    """Where the summary sends the reader for what it only counts: the HTML report."""
    return next((o for o in outputs if o.endswith("report.html")), "the report")


def _repairs(repairs: JSONObject, upstream: bool) -> list[str]:
    """What would clear the release's license conflicts (the errors of other families, such as a
    provenance error, may stay), at most MOST_CHANGES of the changes the search found; the note when
    there is none, or when conflicts `upstream` of the release fail it, which the release's leaves."""
    if repairs["status"] == "impossible" or (upstream and repairs["status"] != "found"):
        return ["", repairs["note"]]
    if repairs["status"] != "found":
        return []
    changes = _changes(repairs["changes"])
    more = len(changes) - MOST_CHANGES
    return [
        "",
        f"what would clear the {_open(repairs)}license conflicts (any one change):",
        *changes[:MOST_CHANGES],
        *([f"  - and {more} more in the report"] if more > 0 else []),
    ]


def _upstream_errors(document: JSONObject) -> bool:
    """Whether open error-level license conflicts of assets other than the release fail the audit."""
    release = document["release"]["asset"]
    return any(
        f["family"] == "conflict" and f["severity"] == "error" and f["status"] == "open" and f["asset"] != release
        for f in document["findings"]
    )


def _obligation(document: JSONObject, o: JSONObject) -> str:
    """An obligation the first page lists, with the findings about its term."""
    said = "; ".join(firstpage.concerning(document, o))
    term = f"  {o['status'].replace('-', ' ')}: {o['term'].replace('_', ' ')} of {o['license']}"
    return term + (f" ({said})" if said else "")


def _open(repairs: JSONObject) -> str:
    """ "open " when resolutions set conflicts aside, which the changes need not clear."""
    return "open " if repairs.get("set_aside") else ""


def _json_summary(document: JSONObject, outputs: list[str]) -> str:
    summary = {
        "verdict": document["verdict"],
        "gate": document.get("gate"),
        "counts": document["counts"],
        "release": document["release"],
        "position": document["position"],
        "reports": outputs,
        "findings": [
            {k: f[k] for k in ("id", "rule", "severity", "asset", "message", "status")} for f in document["findings"]
        ],
    }
    return (
        json.dumps(summary, indent=2, ensure_ascii=True) + "\n"
    )  # \uXXXX escapes: no raw bidi control reaches a terminal


def _changes(changes: list[JSONObject]) -> list[str]:
    """One line a change, in the document's own words: what to do to the release, what upstream."""
    return [f"  - {c['says']}" for c in changes]


def _review(review: JSONObject) -> list[str]:
    """What the review files and the baseline did, and what in them could not be used."""
    lines = []
    if review["resolutions"]["file"]:
        expired = review["resolutions"].get("expired", [])  # a report of schema 1.7 counts them applied
        lines.append(
            f"resolutions: {review['resolutions']['applied']} applied"
            + (f", {len(expired)} expired" if expired else "")
            + f" from {review['resolutions']['file']}"
            + (f" as of {review['as_of']}" if review["as_of"] else "")
        )
        lines += [
            f"  expired on {o['expires']}: {o['rule']} on {o['asset']}, open again ({o['file']}:{o['line']})"
            for o in expired
        ]
        lines += [
            f"  orphaned: {o['rule']} on {o['asset']} ({o['file']}:{o['line']})"
            for o in review["resolutions"]["orphaned"]
        ]
    if review["curations"]["file"]:
        lines.append(f"curations: {len(review['curations']['applied'])} applied from {review['curations']['file']}")
        lines += [f"  orphaned: {o['asset']} ({o['file']}:{o['line']})" for o in review["curations"]["orphaned"]]
    lines += [f"  not applied: {p['file']}:{p['line'] or '-'}: {p['message']}" for p in review["problems"]]
    if review["baseline"]:
        b = review["baseline"]
        lines.append(f"baseline {b['file']}: {b['new']} new, {b['unchanged']} unchanged, {len(b['gone'])} gone")
        lines += [f"  gone: {g['rule']} {g['asset'] or NO_ASSET}: {g['message']}" for g in b["gone"]]
        lines += [f"  license: {c['asset']}: {c['before']} → {c['after']}" for c in b.get("licenses", [])]
    return [""] + lines if lines else []


def outbound(document: JSONObject) -> str:
    """`mlaudit licenses suggest`: licenses the release may be published under, and why not others."""
    release = document["release"]["asset"]
    if not release:
        return "no release asset identified: name one with --asset or as [release] asset in mlaudit.toml\n"
    lines = [f"release: {release} · position: {document['position']}", "", "must keep:"]
    lines += [
        f"  {r['term'].replace('_', '-')} of {r['license']} (from {', '.join(r['imposed_by'])})"
        for r in document["outbound_requirements"]
    ] or ["  nothing that restricts the choice"]
    lines += ["", "may be published under:"]
    lines += [f"  {lic}" for lic in document["outbound_licenses"]] or [
        "  no license of the knowledge base keeps every requirement above"
    ]
    return _join(lines)


KNOWLEDGE_SCHEMA_VERSION = "1.0.0"  # of the JSON `mlaudit licenses list` and `show` print


def knowledge_list(entries: list[JSONObject], fmt: str = "text") -> str:
    """`mlaudit licenses list`: one line per entry of the knowledge base."""
    if fmt == "json":
        return _json({"licenses": entries})
    header = {
        "id": "ID",
        "family": "FAMILY",
        "use": "USE",
        "verified_at": "VERIFIED",
        "clause_level": "CLAUSES",
        "name": "NAME",
    }  # the name last: it is the longest
    rows = [header] + [
        {**e, "verified_at": e["verified_at"] or "never", "clause_level": "clause-level" if e["clause_level"] else "-"}
        for e in entries
    ]
    widths = {k: max(len(r[k]) for r in rows) for k in header}
    return _join(["  ".join(r[k].ljust(widths[k]) for k in header).rstrip() for r in rows])


def knowledge_entry(entry: JSONObject, fmt: str = "text") -> str:
    """`mlaudit licenses show`: one entry with its provenance, its age and every term."""
    if fmt == "json":
        return _json({"license": entry})
    verified = (
        f"{entry['verified_at']} ({entry['age_months']} months before {entry['as_of']})"
        if entry["verified_at"]
        else "never verified against the license text"
    )
    lines = [
        f"{entry['id']}  {entry['name']}",
        "",
        f"family: {entry['family']} · use: {entry['use']}",
        f"source: {entry['source']}",
        f"kept in: {entry['file']}",
        f"text read: {entry['text_read'] or 'not recorded'}",
        f"text sha256: {entry['text_sha256'] or 'not recorded'}",
        f"verified_at: {verified}",
        f"clause-level: {'yes' if entry['clause_level'] else 'no'}",
        *([f"category-level: {entry['category']} (ScanCode LicenseDB)"] if entry.get("category") else []),
        f"aliases: {', '.join(entry['aliases']) or 'none'}",
        f"training: {entry['training']}" + (f" ({entry['training_basis']})" if entry["training_basis"] else ""),
        f"outputs: {entry['outputs']}" + (f" ({entry['outputs_basis']})" if entry["outputs_basis"] else ""),
    ]
    if entry["copyleft_triggers"]:
        lines.append(f"copyleft triggered by: {', '.join(entry['copyleft_triggers'])} ({entry['copyleft_basis']})")
        scope = "the licensed part and its modifications" if entry.get("copyleft_scope") == "part" else "the work"
        lines.append(f"copyleft reaches: {scope}")
    if entry["licensor"]:
        lines.append(f"licensor: {entry['licensor']} (Hub organisations: {', '.join(entry['licensor_orgs'])})")
    lines += ["", "terms:"]
    for t in entry["terms"]:
        lines += [f"  {t['term']} ({t['kind']}) · {t['clause']}", f"    {t['text']}"]
        lines += [f"    value: {v}" for v in t["values"]]
        lines += [f"    also accepted: {v}" for v in t["accepts"]]
        lines.append(f"    source: {t['source']}")
    return _join(lines)


def _json(payload: JSONObject) -> str:
    """ASCII-escaped JSON: no raw control or bidi character reaches a terminal."""
    return json.dumps({"schema_version": KNOWLEDGE_SCHEMA_VERSION, **payload}, indent=2, ensure_ascii=True) + "\n"


def _where(step: JSONObject) -> str:
    if not step["file"]:
        return ""
    parts = [step["file"] + (f":{step['line']}" if step["line"] else "")]
    if step["pointer"]:
        parts.append(step["pointer"])
    return "  [" + " ".join(parts) + "]"


def internal_error(exc: Exception) -> str:
    """The one line an internal error prints: what failed and how to report it, no traceback."""
    return _join(
        [
            f"mlaudit: internal error: {type(exc).__name__}: {exc}. This is a bug in mlaudit: please "
            "report it with the output of the same command run as 'mlaudit --debug ...'"
        ]
    )


def _join(lines: list[str], colour: bool = False) -> str:
    """The lines made plain, then, when asked, coloured."""
    cleaned = (plain(line, "\ufffd") for line in lines)
    return "".join((_paint(line) if colour else line) + "\n" for line in cleaned)


# The words colour marks, each at the start of a line of mlaudit's own making: a finding's severity
# after its id, and the verdict. Matched in cleaned text, so colour never frames anything read.
_PAINTED = (
    re.compile(r"^([A-Z]+[0-9]+-[0-9a-f]+ )(error|warning|info)\b"),
    re.compile(r"^(verdict: )(FAIL|PASS|INCOMPLETE)\b"),
)
_STYLES = {"error": "31", "warning": "33", "info": "2", "FAIL": "1;31", "PASS": "1;32", "INCOMPLETE": "1;33"}


def _paint(line: str) -> str:
    for pattern in _PAINTED:
        line = pattern.sub(lambda m: f"{m[1]}\x1b[{_STYLES[m[2]]}m{m[2]}\x1b[0m", line)
    return line


def explain(finding: JSONObject, document: JSONObject) -> str:
    """`mlaudit explain`: one finding, the chain of facts behind it, its rule (as the report records
    the rules that judged it) and what would fix it."""
    rule = next((r for r in document["rule_base"].get("rules", []) if r["id"] == finding["rule"]), None)
    lines = [
        f"{finding['id']}  {finding['severity']}  {finding['rule']}"
        + (f" {rule['name']}" if rule else "")
        + f"  ({finding['status']})",
        "",
        finding["message"],
        "",
        "Evidence (from the finding back to the files and clauses):",
    ]
    for i, step in enumerate(finding["evidence"], start=1):
        lines.append(f"  {i}. {step['fact']}{_where(step)}")
    if rule:
        lines += ["", f"Rule: {rule['source']}", f"Why it matters: {rule['why']}"]
    lines += ["", f"How to fix: {finding['how_to_fix']}"]
    fix = finding["fix"]
    if fix and fix["status"] == "found":
        lines += [
            "",
            "What would fix it (the smallest changes, to the release first; any one of them):",
            *_changes(fix["changes"]),
        ]
    elif fix:
        lines += ["", f"What would fix it: no change was found ({fix['note']})."]
    decision = finding["resolution"]
    if decision:
        state = "expired on " + decision["expires"] if decision["expired"] else "in force"
        lines += [
            "",
            f"Resolution ({state}): {decision['reason']} by {decision['reviewer']} on {decision['date']} "
            f"({decision['file']}:{decision['line']}): {decision['comment']}",
        ]
    if finding["baseline"]:
        lines += ["", f"Against the baseline: {finding['baseline']}"]
    return _join(lines)
