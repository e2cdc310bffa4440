"""The one error type the domain raises; transport turns it into an error ack."""
from __future__ import annotations


class DomainError(Exception):
    """A rule was broken: a stable machine code, an English message and its parameters."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def as_dict(self) -> dict:
        """The `error` object of an ack."""
        return {"code": self.code, "message": self.message, "params": self.params}
