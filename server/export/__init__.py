"""Pure renderers of exports: an export snapshot (plain dicts) in, text or bytes out.

Nothing here touches the database or Flask; `server/services/archive/exports.py` builds the snapshot.
"""
