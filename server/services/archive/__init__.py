"""Exports (the export snapshot) and archive imports."""
