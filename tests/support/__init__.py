"""Helpers shared by the real-server tests (realtime/ and e2e/)."""
