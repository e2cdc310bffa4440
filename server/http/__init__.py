"""HTTP transport: pages, the small JSON API for creating and joining, static files, health."""
