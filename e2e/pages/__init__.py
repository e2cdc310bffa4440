"""Page objects: each screen of Snowball driven as a person would (labels, roles, auto-waiting `expect`)."""
