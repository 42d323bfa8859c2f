"""Formatters: render the report document (auditor.document) and nothing else."""

from auditor.parsed import JSONObject


class OutputError(RuntimeError):
    """An output cannot be written on this machine (e.g. a missing system library); the message
    says what to install."""


def content(document: JSONObject) -> JSONObject:
    """What the report says, which identifiers derived from it hash: the whole document but the
    engines that reasoned, which say how it was derived, not what (every engine derives the same)."""
    return {key: value for key, value in document.items() if key != "engines"}
