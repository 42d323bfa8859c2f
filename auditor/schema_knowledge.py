"""The knowledge base's predicates (rules/licenses/, rules/profiles/, the rules' own metadata): the
facts written from the rule base (auditor/knowledge_facts.py, the OSADL matrix's auditor/osadl.py),
a group of the fact schema `S` (auditor/schema.py) kept apart from what the manifests say."""

from __future__ import annotations

from auditor.predicate_spec import predicate as _p


class Knowledge:
    """Licenses, their terms and what triggers them, documentation profiles and their items, the
    rules' severities and families: what the rule base knows, not what the audited manifests say."""

    # fmt: off
    license = _p("license:string family:symbol", "knowledge", "a license of the knowledge base")
    term = _p("license:string term:symbol", "knowledge", "a term (permission, condition, limitation) of a license")
    term_kind = _p("term:symbol kind:symbol", "knowledge", "permission, condition or limitation")
    use_rank = _p(
        "term:symbol rank:int", "knowledge",
        "a limitation that sets the use category (1 unspecified .. 3 academic-only)",
    )
    binds = _p("license:string relation:symbol", "knowledge", "the license's own text reaches across this relation")
    binds_term = _p(
        "license:string term:symbol relation:symbol", "knowledge",
        "a term the license's own text carries across the relation, where it names the terms that do",
    )
    training_binding = _p(
        "license:string", "knowledge",
        "the license's own text reaches models trained on the material",
    )
    training_frees = _p(
        "license:string", "knowledge",
        "the license's own text imposes nothing on models trained on the material",
    )
    outputs_frees = _p(
        "license:string", "knowledge",
        "the license's own text imposes nothing on outputs made with the material",
    )
    copyleft_trigger = _p(
        "license:string distribution:symbol", "knowledge",
        "a release distribution that triggers the license's copyleft terms",
        phrase="{license}'s copyleft binds a release distributed as {distribution}: {license:copyleft_basis}",
    )
    term_trigger = _p(
        "license:string term:symbol distribution:symbol clause:string", "knowledge",
        "a release distribution that triggers the license's condition, by the text's clause",
        phrase="{license}'s {term:spaced} condition binds a release distributed as {distribution}: {clause}",
    )
    trigger_relation = _p(
        "license:string term:symbol distribution:symbol holding:symbol clause:string", "knowledge",
        "the trigger binds only a release holding the material so (copy, adaptation, use; term copyleft: copyleft)",
        phrase="{license}'s {term:spaced} binds a release distributed as {distribution} only if it holds the "
        "material by {holding} (a copy, an adaptation, or use: a work made with it): {clause}",
    )
    shared_condition = _p(
        "license:string term:symbol clause:string", "knowledge", "a condition that binds whoever shares the material",
        phrase="{license}'s {term:spaced} binds whoever shares the material, whatever its copyleft binds: {clause}",
    )
    copyleft_part = _p(
        "license:string", "knowledge",
        "the license's share-alike reaches the licensed material and its modifications, not new works made with it",
    )
    category_level = _p(
        "license:string category:string", "knowledge",
        "a license known only by its ScanCode LicenseDB category (rules/licenses/categories.yaml)",
        phrase="{license} is read by its ScanCode LicenseDB category only ({category})",
    )
    read_required = _p(
        "license:string", "knowledge",
        "the license's category does not say what it grants: a person must read the license",
    )
    adaptation_only = _p(
        "term:symbol", "knowledge",
        "a term that binds adaptations of the material, not unchanged copies in a collection",
    )
    licensor_org = _p(
        "license:string org:string", "knowledge",
        "a Hub organisation of the license's licensor (lowercase)",
    )
    term_value = _p(
        "license:string term:symbol value:string", "knowledge",
        "the value a term prescribes (a name prefix, a statement, a phrase)",
    )
    uri_suffices = _p("license:string term:symbol", "knowledge", "the license's URI or a link to it meets the term")
    own_notice = _p(
        "license:string term:symbol", "knowledge", "the term asks for a notice the licensee writes, not one to carry",
        phrase="{license}'s {term:spaced} asks for a notice the licensee writes itself: a person must look for it",
    )
    term_accepts = _p(
        "license:string term:symbol value:string", "knowledge",
        "a statement the license accepts in place of the prescribed one",
    )
    persists = _p("term:symbol", "knowledge", "a term every derivative's license must keep")
    licensors_own = _p(
        "term:symbol", "knowledge",
        "a persisting term whose content is its licensor's own: only the same license keeps it",
    )
    fatal = _p("code:symbol", "knowledge", "a problem code meaning nothing of the input could be read (model.FATAL)")
    term_check = _p(
        "term:symbol check:symbol", "knowledge",
        "how the release is checked to meet the term (terms.yaml `check`)",
    )
    reports_check = _p(
        "rule:string check:symbol", "knowledge",
        "a rule that reports the unmet outcome of this check itself",
    )
    share_alike_compatible = _p(
        "license:string other:string", "knowledge",
        "adaptations under the license may also be shared under the other",
    )
    osadl = _p(
        "leading:string subordinate:string answer:symbol", "knowledge",
        "the OSADL matrix's answer (yes, no, unknown, check_dependency) for material under the subordinate"
        " license in a work under the leading one; only for licenses the audit meets (auditor/osadl.py)",
        phrase="the OSADL license compatibility matrix answers {answer:spaced} for {subordinate} in a work"
        " licensed {leading}",
    )
    stale = _p(
        "license:string verified_at:string", "knowledge",
        'the entry was never verified ("never") or verified longer ago than the audit allows',
        phrase="the knowledge base's entry for {license} {verified_at:verified}",
    )
    rule_severity = _p("rule:string severity:symbol", "knowledge", "the severity a rule's metadata gives")
    rule_family = _p("rule:string family:symbol", "knowledge", "the family a rule's metadata gives")
    profile = _p("profile:string kind:symbol", "knowledge", "a documentation profile applies to assets of the kind")
    profile_format = _p("profile:string format:string", "knowledge", "applies only to assets described in this format")
    item = _p("profile:string item:string", "knowledge", "a documentation item of a profile")
    item_field = _p("profile:string item:string field:string", "knowledge", "a manifest field that meets the item")
    item_license = _p("profile:string item:string", "knowledge", "a usable license meets the item")
    required_item = _p("profile:string item:string", "knowledge", "the release lacking the item is a finding")
    # fmt: on
