// The protocol's names on the client side (mirrors server/realtime/events.py; a test keeps them equal).
// Every client module names what it sends and handles through these constants, never a bare string
// (tests/unit/test_client_event_names.py scans client/js for one).

// Client -> server commands (imperative, carry an op_id, logged).
export const COMMAND = Object.freeze({
  PROJECT_POST: "project_post",
  PROJECT_EDIT: "project_edit",
  PROJECT_DELETE: "project_delete",
  VOTE_CONFIGURE: "vote_configure",
  VOTE_OPEN: "vote_open",
  VOTE_CLOSE: "vote_close",
  VOTE_REVEAL: "vote_reveal",
  VOTE_CAST: "vote_cast",
  VOTE_RETRACT: "vote_retract",
  VOTE_ROUND_START: "vote_round_start",
  ATTENDEE_ADD: "attendee_add",
  MAP_NODE_ADD: "map_node_add",
  MAP_NODE_MOVE: "map_node_move",
  MAP_NODE_EDIT: "map_node_edit",
  MAP_NODE_REMOVE: "map_node_remove",
  MAP_LINK_ADD: "map_link_add",
  MAP_LINK_REMOVE: "map_link_remove",
  PLAN_ITEM_ADD: "plan_item_add",
  PLAN_ITEM_EDIT: "plan_item_edit",
  PLAN_ITEM_REMOVE: "plan_item_remove",
  MAP_SETTINGS_EDIT: "map_settings_edit",
  EMAIL_DRAFT_SAVE: "email_draft_save",
  SHOW_AGENDA_SET: "show_agenda_set",
  SHOW_ADVANCE: "show_advance",
  SHOW_PAUSE: "show_pause",
  SHOW_RESUME: "show_resume",
  SHOW_EXTEND: "show_extend",
  SHOW_GATE_SET: "show_gate_set",
  SHOW_LOCK_SET: "show_lock_set",
  SPOTLIGHT_SET: "spotlight_set",
  PROJECT_HIDE: "project_hide",
  PROJECT_UNHIDE: "project_unhide",
  PARTICIPANT_REMOVE: "participant_remove",
});

// Client -> server session requests (not logged).
export const REQUEST = Object.freeze({
  SYNC: "sync",
  VOTE_MINE: "vote_mine",
  MAP_EMAIL_PREVIEW: "map_email_preview",
  CLOCK: "clock",
  SHOW_PROGRESS: "show_progress",
});

// Server -> client sequenced event types, delivered inside the "event" frame.
export const EVENT = Object.freeze({
  PARTICIPANT_JOINED: "participant_joined",
  PROJECT_POSTED: "project_posted",
  PROJECT_EDITED: "project_edited",
  PROJECT_DELETED: "project_deleted",
  VOTE_CONFIGURED: "vote_configured",
  VOTE_OPENED: "vote_opened",
  VOTE_CLOSED: "vote_closed",
  VOTE_REVEALED: "vote_revealed",
  VOTE_CAST_ACCEPTED: "vote_cast_accepted",
  VOTE_RETRACT_ACCEPTED: "vote_retract_accepted",
  VOTE_ROUND_STARTED: "vote_round_started",
  MAP_NODE_ADDED: "map_node_added",
  MAP_NODE_MOVED: "map_node_moved",
  MAP_NODE_EDITED: "map_node_edited",
  MAP_NODE_REMOVED: "map_node_removed",
  MAP_LINK_ADDED: "map_link_added",
  MAP_LINK_REMOVED: "map_link_removed",
  PLAN_ITEM_ADDED: "plan_item_added",
  PLAN_ITEM_EDITED: "plan_item_edited",
  PLAN_ITEM_REMOVED: "plan_item_removed",
  MAP_SETTINGS_EDITED: "map_settings_edited",
  EMAIL_DRAFT_SAVED: "email_draft_saved",
  SHOW_AGENDA_CHANGED: "show_agenda_changed",
  SHOW_PHASE_CHANGED: "show_phase_changed",
  SHOW_TIMER_CHANGED: "show_timer_changed",
  SHOW_GATES_CHANGED: "show_gates_changed",
  SPOTLIGHT_CHANGED: "spotlight_changed",
  PROJECT_HIDDEN: "project_hidden",
  PROJECT_UNHIDDEN: "project_unhidden",
  PARTICIPANT_REMOVED: "participant_removed",
});

// Unsequenced messages, never stored: presence (server to client); drags and map presence (relayed).
export const EPHEMERAL_EVENT = Object.freeze({
  PRESENCE: "presence",
  MAP_NODE_DRAG: "map_node_drag",
  MAP_PRESENCE: "map_presence",
});

export const COMMANDS = Object.values(COMMAND);
export const REQUESTS = Object.values(REQUEST);
export const EVENT_TYPES = Object.values(EVENT);
export const EPHEMERAL = Object.values(EPHEMERAL_EVENT);
