"""Formatters: render the report document (auditor.document) and nothing else."""
