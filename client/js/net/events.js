// The protocol's names on the client side (mirrors server/realtime/events.py; a test keeps them equal).

export const COMMANDS = [
  "project_post",
  "project_edit",
  "project_delete",
];

export const REQUESTS = ["sync"];

export const EVENT_TYPES = [
  "participant_joined",
  "project_posted",
  "project_edited",
  "project_deleted",
];

export const EPHEMERAL = ["presence"];
