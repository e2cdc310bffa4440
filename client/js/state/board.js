// Foundation part of the state: board facts, me, participants, presence, story cards.

import { onEvent, onSnapshot } from "./store.js";
import { EVENT } from "../net/events.js";

// The currencies a story card may name (server/domain/projects.py CURRENCIES; a test compares).
export const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "CAD", "XOF", "MAD", "JPY"];

onSnapshot((state, snap) => {
  state.board = snap.board;
  state.me = snap.me;
  state.participants = new Map(snap.participants.map((p) => [p.id, p]));
  state.projects = new Map(snap.projects.map((p) => [p.id, p]));
});

onEvent(EVENT.PARTICIPANT_JOINED, (state, data) => {
  state.participants.set(data.participant.id, data.participant);
});

onEvent(EVENT.PROJECT_POSTED, (state, data) => {
  state.projects.set(data.project.id, data.project);
});

onEvent(EVENT.PROJECT_EDITED, (state, data) => {
  state.projects.set(data.project.id, data.project);
});

onEvent(EVENT.PROJECT_DELETED, (state, data) => {
  state.projects.delete(data.project_id);
});

/** Story cards in board order (posting order, the same on every screen). */
export function projectsInOrder(state) {
  return [...state.projects.values()].sort((a, b) => a.id - b.id);
}

/** Participants in joining order. */
export function participantsInOrder(state) {
  return [...state.participants.values()].sort((a, b) => a.id - b.id);
}

/** The display name of a participant id ("?" when unknown). */
export function nameOf(state, participantId) {
  return state.participants.get(participantId)?.name ?? "?";
}

/** True when this screen is the participant who wrote the card. */
export function isMine(state, project) {
  return state.me?.role === "participant" && state.me.participant_id === project.author_id;
}
