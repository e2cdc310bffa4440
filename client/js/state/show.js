// Run of show part of the state: the agenda and shared timer (server facts), the spotlight,
// moderation (hidden cards, removed people), and this screen's offset to the server's clock.

import { onEvent, onSnapshot } from "./store.js";
import { EVENT } from "../net/events.js";

// The gates a phase opens or closes, in the console's order (server/domain/phases.py GATES; a test compares).
export const GATES = ["posting", "voting", "mapping"];

/** Milliseconds to add to Date.now() to get the server's time (kept from every server_now received). */
function learnClock(state, serverNowIso) {
  if (!serverNowIso) return;
  const offset = Date.parse(serverNowIso) - Date.now();
  if (Number.isFinite(offset)) state.clockOffset = offset;
}

/** The server's time now, as this screen best knows it. */
export function serverNow(state) {
  return Date.now() + (state.clockOffset || 0);
}

/** Remember a precise offset from a `clock` round trip (half the round trip is the way back). */
export function learnClockFromRoundTrip(state, serverNowIso, sentAt, receivedAt) {
  const offset = Date.parse(serverNowIso) + (receivedAt - sentAt) / 2 - receivedAt;
  if (Number.isFinite(offset)) state.clockOffset = offset;
}

// A hidden card stays in the state for its author and the facilitator (marked), and is kept aside
// for everyone else: the foundation's reducers write to state.projects, so the map itself decides.
class ModeratedProjects extends Map {
  constructor(entries, hidden, canSee) {
    super();
    this.hidden = hidden;
    this.canSee = canSee;
    this.aside = new Map();
    for (const [id, project] of entries) this.set(id, project);
  }

  set(id, project) {
    if (this.hidden?.has(id) && !this.canSee(project)) {
      this.aside.set(id, project);
      super.delete(id);
      return this;
    }
    this.aside.delete(id);
    return super.set(id, project);
  }

  delete(id) {
    this.aside.delete(id);
    return super.delete(id);
  }

  /** Re-file every card after the hidden set changed. */
  refile() {
    for (const [id, project] of [...this.entries(), ...this.aside.entries()]) this.set(id, project);
  }
}

function canSeeHidden(state) {
  return (project) => state.me?.role === "facilitator"
    || (state.me?.role === "participant" && state.me.participant_id === project.author_id);
}

onSnapshot((state, snap) => {
  state.show = snap.show || null;
  state.spotlight = snap.spotlight || null;
  const moderation = snap.moderation || { hidden_projects: [], removed_participants: [] };
  state.hiddenProjects = new Set(moderation.hidden_projects);
  state.removedParticipants = new Set(moderation.removed_participants);
  state.projects = new ModeratedProjects(state.projects || new Map(), state.hiddenProjects, canSeeHidden(state));
  learnClock(state, snap.show?.server_now);
});

for (const type of [EVENT.SHOW_AGENDA_CHANGED, EVENT.SHOW_PHASE_CHANGED, EVENT.SHOW_TIMER_CHANGED, EVENT.SHOW_GATES_CHANGED]) {
  onEvent(type, (state, data) => {
    state.show = data.show;
    learnClock(state, data.server_now);
  });
}

onEvent(EVENT.SPOTLIGHT_CHANGED, (state, data) => {
  state.spotlight = data.spotlight;
});

onEvent(EVENT.PROJECT_HIDDEN, (state, data) => {
  state.hiddenProjects.add(data.project_id);
  if (state.spotlight?.project_id === data.project_id) state.spotlight = null; // the server cleared it too
  state.projects.refile?.();
});

onEvent(EVENT.PROJECT_UNHIDDEN, (state, data) => {
  state.hiddenProjects.delete(data.project_id);
  if (data.project) state.projects.set(data.project_id, data.project);
  state.projects.refile?.();
});

onEvent(EVENT.PROJECT_DELETED, (state, data) => {
  state.hiddenProjects?.delete(data.project_id);
  if (state.spotlight?.project_id === data.project_id) state.spotlight = null; // the server cleared it too
});

onEvent(EVENT.PARTICIPANT_REMOVED, (state, data) => {
  state.removedParticipants.add(data.participant_id);
});

/** The phase running now (or paused), or null. */
export function currentPhase(state) {
  const show = state.show;
  if (!show || show.current_phase_id === null) return null;
  return show.phases.find((p) => p.id === show.current_phase_id) || null;
}

/** Milliseconds left on the shared timer at the server's time now, or null when no timer runs. */
export function remainingMs(state) {
  const timer = state.show?.timer;
  if (!timer || timer.status === "idle") return null;
  if (timer.status === "paused") return timer.remaining_ms ?? 0;
  return Math.max(0, Date.parse(timer.ends_at) - serverNow(state));
}

/** "m:ss" (or "h:mm:ss") of a remaining time, rounded up so 0:00 shows only at zero. */
export function formatRemaining(ms) {
  if (ms === null || ms === undefined) return "–:––";
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Whether a gate ("posting", "voting", "mapping") is open for participants right now. */
export function gateOpen(state, gate) {
  if (state.show?.locked) return false;
  return state.show?.gates?.[gate] ?? true;
}

/** True when the facilitator removed this participant. */
export function isRemoved(state, participantId) {
  return state.removedParticipants?.has(participantId) ?? false;
}

/**
 * Why a participant cannot use a gate now: "locked" (the facilitator locked the board), "phase" (the
 * phase or an override keeps it closed), or null when it is open. The facilitator is never gated.
 */
export function closedReason(state, gate) {
  if (state.me?.role === "facilitator") return null;
  if (state.show?.locked) return "locked";
  return gateOpen(state, gate) ? null : "phase";
}

/** The sentence saying a gate is closed and why, as a catalogue key ("gate.closed.posting", "gate.locked"). */
export function closedReasonKey(state, gate) {
  const reason = closedReason(state, gate);
  return reason === null ? null : reason === "locked" ? "gate.locked" : `gate.closed.${gate}`;
}
