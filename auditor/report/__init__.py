"""Formatters: render the report document (auditor.document) and nothing else."""


class OutputError(RuntimeError):
    """An output cannot be written on this machine (e.g. a missing system library); the message
    says what to install."""
