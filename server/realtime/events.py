"""The protocol's names, one list each way (docs/protocol.md and client/js/net/events.js mirror them)."""
from __future__ import annotations

# Client -> server commands (imperative, carry an op_id, logged).
COMMANDS = (
    "project_post",
    "project_edit",
    "project_delete",
    "vote_configure",
    "vote_open",
    "vote_close",
    "vote_reveal",
    "vote_cast",
    "vote_retract",
    "vote_round_start",
    "attendee_add",
    "show_agenda_set",
    "show_advance",
    "show_pause",
    "show_resume",
    "show_extend",
    "show_gate_set",
    "show_lock_set",
    "spotlight_set",
    "project_hide",
    "project_unhide",
    "participant_remove",
    "map_node_add",
    "map_node_move",
    "map_node_edit",
    "map_node_remove",
    "map_link_add",
    "map_link_remove",
    "plan_item_add",
    "plan_item_edit",
    "plan_item_remove",
    "map_settings_edit",
    "email_draft_save",
)

# Client -> server session requests (not logged).
REQUESTS = ("sync", "vote_mine", "clock", "show_progress", "map_email_preview")

# Server -> client sequenced event types, delivered inside the "event" frame.
EVENT_TYPES = (
    "participant_joined",
    "project_posted",
    "project_edited",
    "project_deleted",
    "vote_configured",
    "vote_opened",
    "vote_closed",
    "vote_revealed",
    "vote_cast_accepted",
    "vote_retract_accepted",
    "vote_round_started",
    "show_agenda_changed",
    "show_phase_changed",
    "show_timer_changed",
    "show_gates_changed",
    "spotlight_changed",
    "project_hidden",
    "project_unhidden",
    "participant_removed",
    "map_node_added",
    "map_node_moved",
    "map_node_edited",
    "map_node_removed",
    "map_link_added",
    "map_link_removed",
    "plan_item_added",
    "plan_item_edited",
    "plan_item_removed",
    "map_settings_edited",
    "email_draft_saved",
)

# Server -> client unsequenced messages.
EPHEMERAL = ("presence", "map_node_drag", "map_presence")
