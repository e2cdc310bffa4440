"""Tribe maps: their use cases, their serialised form, their part of every snapshot."""
