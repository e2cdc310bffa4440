"""Use cases: one function each; load, apply the domain rule, commit, return events."""
