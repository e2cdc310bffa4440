"""The protocol's names, one list each way (docs/protocol.md and client/js/net/events.js mirror them)."""
from __future__ import annotations

# Client -> server commands (imperative, carry an op_id, logged).
COMMANDS = (
    "project_post",
    "project_edit",
    "project_delete",
)

# Client -> server session requests (not logged).
REQUESTS = ("sync",)

# Server -> client sequenced event types, delivered inside the "event" frame.
EVENT_TYPES = (
    "participant_joined",
    "project_posted",
    "project_edited",
    "project_deleted",
)

# Server -> client unsequenced messages.
EPHEMERAL = ("presence",)
