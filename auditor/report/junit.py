"""junit.xml: the audit as a JUnit report, for CI systems that display test results.

One testsuite "mlaudit" with one testcase per rule of the rule base that judged the release, as
report.json records them (classname the rule's family, name its id and name), so a passing rule
shows as a passing test. Every open finding of severity error is a <failure> of its rule's
testcase; a rule can fail more than once, and the `failures` attribute counts failure elements,
i.e. open errors. JUnit has no warning level: open warnings (and infos) are listed in their
testcase's <system-out>, visible without failing the build. Resolved findings are left out. A
gate that fails on more than open errors (a documentation score under --fail-under, warnings
under --fail-on) is one more <failure>, of a testcase "gate", so the report fails as the job does.

Built with xml.etree, which is safe here because we only write XML. Manifest text passes through
`plain` first, which also removes every character XML 1.0 cannot carry.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from auditor.parsed import JSON
from auditor.readers.sanitise import plain
from auditor.report.firstpage import gate_failures
from auditor.report.lines import NO_ASSET, line
from auditor.report.plaintext import where


def render(document: dict[str, JSON]) -> str:
    rules = document["rule_base"].get("rules", [])
    open_ = [f for f in document["findings"] if f["status"] == "open"]
    cases = [(r["family"], plain(f"{r['id']} {r['name']}"), r["id"]) for r in rules]
    known = {r["id"] for r in rules}
    cases += sorted({(f["family"], f["rule"], f["rule"]) for f in open_ if f["rule"] not in known})
    gated = gate_failures(document)
    if gated:
        cases.append(("gate", "gate", "gate"))
    failures = sum(1 for f in open_ if f["severity"] == "error") + len(gated)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": "mlaudit", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "mlaudit", **counts, "skipped": "0"})
    _properties(suite, document)
    by_rule: defaultdict[str, list[dict[str, JSON]]] = defaultdict(list)
    for f in open_:
        by_rule[f["rule"]].append(f)
    for family, name, rule in cases:
        _testcase(suite, family, name, by_rule[rule])
    for failure in gated:
        ET.SubElement(suite.findall("testcase")[-1], "failure", {"message": plain(failure), "type": "gate"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(suite: ET.Element, document: dict[str, JSON]) -> None:
    props = ET.SubElement(suite, "properties")
    values = {
        "mlaudit.version": document["tool"]["version"],
        "position": document["position"],
        "release": document["release"]["asset"] or "",
        "verdict": document["verdict"],
    }
    for name, value in values.items():
        ET.SubElement(props, "property", {"name": name, "value": plain(value)})


def _testcase(suite: ET.Element, family: str, name: str, findings: list[dict[str, JSON]]) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": family, "name": name})
    for f in findings:
        if f["severity"] == "error":
            failure = ET.SubElement(case, "failure", {"message": plain(f["message"]), "type": f["rule"]})
            failure.text = _details(f)
    others = [line(f) for f in findings if f["severity"] != "error"]
    if others:
        ET.SubElement(case, "system-out").text = "\n".join(others)


def _details(finding: dict[str, JSON]) -> str:
    steps = [f"  ↳ {plain(s['fact'])}" + (f" [{where(s)}]" if s["file"] else "") for s in finding["evidence"]]
    return "\n".join(
        [
            f"{finding['id']} {plain(finding['asset'] or NO_ASSET)}",
            plain(finding["message"]),
            "evidence:",
            *steps,
            "how to fix: " + plain(finding["how_to_fix"]),
        ]
    )
