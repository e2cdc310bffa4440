// Story vote part of the state: rounds (public), who is done (public), my own dots (private, from
// acks, the snapshot and vote_mine), and, for the facilitator, the dots of attendees without a device.

import { keepLocal, onAck, onEvent, onSnapshot, pendingCommands } from "./store.js";
import { COMMAND, EVENT } from "../net/events.js";

keepLocal("voteProxyFor"); // the attendee the facilitator is placing dots for, across a resync

onSnapshot((state, snap) => {
  const vote = snap.vote || { rounds: [], progress: { used: [] }, attendees: [], mine: null, proxies: [] };
  state.vote = {
    rounds: vote.rounds,
    used: new Map(vote.progress.used.map((row) => [row.voter_id, row.dots_used])),
    attendees: new Set(vote.attendees),
    mine: vote.mine,
    proxies: new Map(vote.proxies.map((view) => [view.voter_id, view])),
    // The seq each private view is known to be at least as fresh as (an older ack must not undo a newer one).
    freshness: new Map(),
    refused: new Map(), // project_id -> error of the last refused dot, shown on the card
    returned: [], // dots that came back when a card left the vote: {voterId, projectId, title, dots, reason}
  };
  // The snapshot's private views are as fresh as its seq: an ack of an older command must not undo them.
  for (const view of [vote.mine, ...vote.proxies]) if (view) state.vote.freshness.set(view.voter_id, snap.seq);
});

function putRound(state, round) {
  const rounds = state.vote.rounds.filter((r) => r.number !== round.number);
  rounds.push(round);
  rounds.sort((a, b) => a.number - b.number);
  state.vote.rounds = rounds;
}

/** A private view follows its round's settings (a budget changed before the vote opened). */
function resettle(view, round) {
  if (!view || view.round !== round.number) return view;
  return { ...view, budget: round.budget, cap: round.cap, remaining: Math.max(round.budget - view.used, 0) };
}

for (const type of [EVENT.VOTE_CONFIGURED, EVENT.VOTE_OPENED, EVENT.VOTE_CLOSED, EVENT.VOTE_REVEALED]) {
  onEvent(type, (state, data) => {
    putRound(state, data.round);
    state.vote.mine = resettle(state.vote.mine, data.round);
    for (const [id, view] of state.vote.proxies) state.vote.proxies.set(id, resettle(view, data.round));
    if (type === EVENT.VOTE_OPENED) state.vote.refused.clear();
  });
}

onEvent(EVENT.VOTE_ROUND_STARTED, (state, data) => {
  putRound(state, data.round);
  state.vote.used = new Map();
  state.vote.refused.clear();
  state.vote.returned = [];
  // Everyone starts the new round with a full budget; earlier rounds' dots stay listed.
  const fresh = (view) => view && { ...view, round: data.round.number, budget: data.round.budget, cap: data.round.cap, used: 0, remaining: data.round.budget };
  state.vote.mine = fresh(state.vote.mine);
  for (const [id, view] of state.vote.proxies) state.vote.proxies.set(id, fresh(view));
});

function progress(state, data) {
  state.vote.used.set(data.voter_id, data.dots_used);
}
onEvent(EVENT.VOTE_CAST_ACCEPTED, progress);
onEvent(EVENT.VOTE_RETRACT_ACCEPTED, progress);

// Mirrors server/domain/votes.py (tests/unit/test_client_mirrors.py runs both on generated cases).
export const DEFAULT_BUDGET = 3;
export const DEFAULT_CAP = 1;

/** The current (last) round. */
export function currentRound(state) {
  const rounds = state.vote?.rounds || [];
  return rounds[rounds.length - 1]
    || { number: 1, state: "not_started", budget: DEFAULT_BUDGET, cap: DEFAULT_CAP, candidates: null, ranking: null };
}

/** Rounds that were revealed, newest first. */
export function revealedRounds(state) {
  return (state.vote?.rounds || []).filter((r) => r.state === "revealed").reverse();
}

/** True when a story takes part in the current round. */
export function isCandidate(round, projectId) {
  return !round.candidates || round.candidates.includes(projectId);
}

/** The private dots view of a voter on this screen: mine, or an attendee's for the facilitator. */
export function viewOf(state, voterId) {
  if (state.me?.role === "participant" && voterId === state.me.participant_id) return state.vote.mine;
  return state.vote.proxies.get(voterId) || null;
}

/** Dots a view placed on a story in a round. */
export function dotsOn(view, round, projectId) {
  if (!view) return 0;
  return view.dots.filter((d) => d.round === round && d.project_id === projectId).reduce((n, d) => n + d.dots, 0);
}

/**
 * A voter's private view as this screen shows it: the server's, with this device's dots still waiting
 * in the outbox laid over it (placed or taken back while offline), so a click shows at once.
 * Adds `pending`: Map(project_id -> {commands, delta}) and `pendingTotal` (commands); null without a view.
 * Acked commands are not laid over: their ack already brought the new view (see onAck below).
 */
export function shownView(state, voterId) {
  const view = viewOf(state, voterId);
  if (!view) return null;
  const round = currentRound(state);
  const me = state.me?.role === "participant" ? state.me.participant_id : null;
  const pending = new Map();
  let delta = 0;
  const dots = view.dots.map((d) => ({ ...d }));
  for (const command of pendingCommands(state)) {
    if (command.acked_seq !== undefined || (command.type !== COMMAND.VOTE_CAST && command.type !== COMMAND.VOTE_RETRACT)) continue;
    if ((command.payload.voter_id ?? me) !== voterId) continue;
    const projectId = command.payload.project_id;
    const step = command.type === COMMAND.VOTE_CAST ? 1 : -1;
    let dot = dots.find((d) => d.round === round.number && d.project_id === projectId);
    if (!dot) dots.push((dot = { round: round.number, project_id: projectId, dots: 0 }));
    if (dot.dots + step < 0) continue; // nothing here to take back: the server will say so
    dot.dots += step;
    delta += step;
    const here = pending.get(projectId) || { commands: 0, delta: 0 };
    pending.set(projectId, { commands: here.commands + 1, delta: here.delta + step });
  }
  if (!pending.size) return { ...view, pending, pendingTotal: 0 };
  return { ...view, dots: dots.filter((d) => d.dots > 0), used: view.used + delta,
    remaining: Math.max(view.remaining - delta, 0), pending, pendingTotal: [...pending.values()].reduce((n, p) => n + p.commands, 0) };
}

/**
 * Why the server refuses one dot (`vote_cast` or `vote_retract`), or null: the rule of
 * server/domain/votes.py check_cast / check_retract, in its order. `roundState` is the round's state,
 * `used` the voter's dots placed, `here` those on this story, `own` true on the voter's own story.
 */
export function dotRefusal(command, { roundState, budget, cap, used, here, own }) {
  if (roundState === "not_started") return { code: "vote_not_open", params: {} };
  if (roundState !== "open") return { code: "vote_closed", params: {} };
  if (command === COMMAND.VOTE_RETRACT) return here > 0 ? null : { code: "no_dot_here", params: {} };
  if (own) return { code: "own_project", params: {} };
  if (used >= budget) return { code: "budget_spent", params: { budget } };
  if (here >= cap) return { code: "story_cap_reached", params: { cap } };
  return null;
}

/**
 * Why the server would refuse one more dot from this view on a story, or null without a view (checked
 * on this screen while offline, so a click on a spent budget is not queued to be refused later; and to
 * show the place button as unavailable).
 */
export function wouldRefuse(view, round, project, command) {
  if (!view) return null;
  return dotRefusal(command, { roundState: round.state, budget: view.budget, cap: round.cap, used: view.used,
    here: dotsOn(view, round.number, project.id), own: project.author_id === view.voter_id });
}

/** Keep a voter's private view (from an ack at `seq`, or a vote_mine reply at least as fresh as `seq`). */
export function storeView(state, view, seq) {
  const known = state.vote.freshness.get(view.voter_id) ?? -1;
  if (seq < known) return false;
  state.vote.freshness.set(view.voter_id, seq);
  if (state.me?.role === "participant" && view.voter_id === state.me.participant_id) state.vote.mine = view;
  else state.vote.proxies.set(view.voter_id, view);
  return true;
}

// A dot's ack carries the voter's own dots: keep them whichever page sent it (one reloaded offline too).
for (const type of [COMMAND.VOTE_CAST, COMMAND.VOTE_RETRACT]) {
  onAck(type, (state, command, ack) => {
    if (!state.vote) return;
    if (ack.ok && ack.result?.mine) storeView(state, ack.result.mine, ack.seq);
    // A refusal stays on the card, also for a dot that waited offline on a page since reloaded.
    if (!ack.ok && ack.error?.code !== "rate_limited") state.vote.refused.set(command.payload.project_id, ack.error);
  });
}

/** Who is done in the current round: everyone on the board is a voter, but people the facilitator removed. */
export function whoIsDone(state) {
  const round = currentRound(state);
  let voters = 0;
  let done = 0;
  let voted = 0;
  for (const id of state.participants.keys()) {
    if (state.removedParticipants?.has(id)) continue; // their dots no longer count (as on the server)
    const used = state.vote.used.get(id) || 0;
    voters += 1;
    if (used >= round.budget) done += 1;
    if (used > 0) voted += 1;
  }
  return { voters, done, notVoted: voters - voted };
}

// An attendee without a device (added by the facilitator): remembered with a full budget until
// their first dot, so the facilitator can vote for them (whatever view is on screen).
onEvent(EVENT.PARTICIPANT_JOINED, (state, data) => {
  if (!data.no_device || !state.vote) return;
  const round = currentRound(state);
  state.vote.attendees.add(data.participant.id);
  state.vote.proxies.set(data.participant.id, { voter_id: data.participant.id, round: round.number,
    budget: round.budget, cap: round.cap, used: 0, remaining: round.budget, dots: [] });
});

/** Whether this screen still sees a hidden card: the facilitator, or the participant who wrote it. */
function seesHidden(state, projectId) {
  if (state.me?.role === "facilitator") return true;
  const project = state.projects?.get(projectId);
  return state.me?.role === "participant" && project?.author_id === state.me.participant_id;
}

/**
 * A card hidden, shown again or deleted: its revealed rounds' rankings come in the event as the room sees
 * them now (re-ranked); hidden cards this screen still sees keep their place, marked, without a rank.
 */
function replaceRankings(state, data, hiddenNow) {
  for (const { round: number, ranking } of data.rankings || []) {
    const round = state.vote.rounds.find((r) => r.number === number);
    if (!round) continue;
    const kept = (round.ranking || []).filter((entry) => hiddenNow.has(entry.project_id)
      && seesHidden(state, entry.project_id) && !ranking.some((r) => r.project_id === entry.project_id))
      .map((entry) => ({ ...entry, rank: null, hidden: true }));
    const merged = [...ranking, ...kept].sort((a, b) => b.dots - a.dots || a.project_id - b.project_id);
    putRound(state, { ...round, ranking: merged });
  }
}

/**
 * A card left the vote before its reveal (deleted, or hidden by the facilitator): its dots went back
 * to their voters. Every screen updates who is done; a voter's own view (and the facilitator's
 * view of an attendee) gets the dots back, and a notice says why.
 */
function dotsCameBack(state, data, reason, seq) {
  const returned = data.returned_dots;
  if (!returned || !state.vote) return;
  const title = state.projects?.get(data.project_id)?.title ?? state.projects?.aside?.get(data.project_id)?.title ?? "";
  for (const { voter_id: voterId, dots, dots_used: used } of returned.voters) {
    state.vote.used.set(voterId, used);
    const view = viewOf(state, voterId);
    if (!view) continue;
    const back = { ...view, used, remaining: Math.max(view.budget - used, 0),
      dots: view.dots.filter((d) => !(d.round === returned.round && d.project_id === data.project_id)) };
    if (state.me?.role === "participant" && voterId === state.me.participant_id) state.vote.mine = back;
    else state.vote.proxies.set(voterId, back);
    // As fresh as this event: the ack of an older dot, arriving late, must not bring the dot back.
    state.vote.freshness.set(voterId, Math.max(state.vote.freshness.get(voterId) ?? -1, seq));
    state.vote.returned.push({ voterId, projectId: data.project_id, title, dots, reason });
  }
}

// These run before show.js files the card aside (main.js imports this module first).
onEvent(EVENT.PROJECT_HIDDEN, (state, data, frame) => {
  if (!state.vote) return;
  dotsCameBack(state, data, "hidden", frame.seq);
  replaceRankings(state, data, new Set([...(state.hiddenProjects || []), data.project_id]));
});
onEvent(EVENT.PROJECT_UNHIDDEN, (state, data) => {
  if (!state.vote) return;
  const hiddenNow = new Set(state.hiddenProjects || []);
  hiddenNow.delete(data.project_id);
  replaceRankings(state, data, hiddenNow);
});
onEvent(EVENT.PROJECT_DELETED, (state, data, frame) => {
  if (!state.vote) return;
  dotsCameBack(state, data, "deleted", frame.seq);
  // Deleted after a reveal: gone from every ranking, its author's and the facilitator's too.
  const hiddenNow = new Set(state.hiddenProjects || []);
  hiddenNow.delete(data.project_id);
  replaceRankings(state, data, hiddenNow);
});

// Someone the facilitator removed votes no more: an attendee without a device leaves the list the
// facilitator votes from (the server refuses their dots now), and stops being the one voted for.
onEvent(EVENT.PARTICIPANT_REMOVED, (state, data) => {
  if (!state.vote) return;
  state.vote.attendees.delete(data.participant_id);
  state.vote.proxies.delete(data.participant_id);
  if (state.voteProxyFor === data.participant_id) state.voteProxyFor = null;
});

/** Dots that came back to this voter (a card deleted or hidden while the vote was open), oldest first. */
export function returnedDots(state, voterId) {
  return (state.vote?.returned || []).filter((r) => r.voterId === voterId);
}
