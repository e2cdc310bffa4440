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
];

export const REQUESTS = ["sync", "vote_mine", "map_email_preview"];

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
];

export const EPHEMERAL = ["presence", "map_node_drag", "map_presence"];
