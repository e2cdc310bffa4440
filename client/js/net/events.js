// The protocol's names on the client side (mirrors server/realtime/events.py; a test keeps them equal).

export const COMMANDS = [
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
];

export const REQUESTS = ["sync", "vote_mine"];

export const EVENT_TYPES = [
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
];

export const EPHEMERAL = ["presence"];
