"""Pure rules of Snowball: no Flask, no SQLAlchemy, no I/O."""
