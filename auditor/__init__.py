"""mlaudit: rule-based compliance and provenance auditor for machine-learning assets.

The pipeline runs in one direction: harvest -> graph -> facts -> reason -> findings -> report.
"""

__version__ = "0.1.0"
