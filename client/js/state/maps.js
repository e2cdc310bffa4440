// Tribe maps part of the state: one map per project (nodes, links, share plan, settings, drafts),
// changed only by sequenced events (upserts and removes keyed by id, so every screen converges),
// plus the live, unstored side: who is dragging what, and who is looking at which map.

import { onEvent, onSnapshot, pendingCommands } from "./store.js";
import { COMMAND, EPHEMERAL_EVENT, EVENT } from "../net/events.js";

export const RINGS = ["inner", "network", "crowd"];
export const KINDS = ["person", "community", "organisation", "media"];
export const PHASES = ["before_launch", "launch_day", "first_week", "mid_campaign", "final_push", "after"];
// Mirrors server/domain/tribe_maps.py: map units in [-1, 1], the radius decides the ring.
export const CENTRE_RADIUS = 0.2;
export const OUTER_RADIUS = 0.96;
export const RING_OUTER = { inner: 0.45, network: 0.72, crowd: OUTER_RADIUS };
export const DEFAULT_SETTINGS = { average_pledge: 30, conversion_pct: 20 };
export const TARGET_PCT = 30;

function emptyMap(projectId) {
  return { project_id: projectId, settings: { ...DEFAULT_SETTINGS }, nodes: new Map(), links: new Map(), plan: new Map(), drafts: new Map() };
}

/** A map as the snapshot (or project_unhidden) sends it, in the state's shape. */
function loadedMap(m) {
  return {
    project_id: m.project_id,
    settings: { ...m.settings },
    nodes: new Map(m.nodes.map((n) => [n.id, n])),
    links: new Map(m.links.map((l) => [l.id, l])),
    plan: new Map(m.plan_items.map((i) => [i.id, i])),
    drafts: new Map(m.email_drafts.map((d) => [d.ring, d])),
  };
}

onSnapshot((state, snap) => {
  state.maps = new Map();
  for (const m of snap.tribe_maps || []) state.maps.set(m.project_id, loadedMap(m));
});

// A card shown again brings its map: snapshots left it out for screens that could not see the card.
onEvent(EVENT.PROJECT_UNHIDDEN, (state, data) => {
  if (data.tribe_map) state.maps.set(data.project_id, loadedMap(data.tribe_map));
});

/** The map of a project in the state, created empty on its first event. */
function mapFor(state, projectId) {
  if (!state.maps.has(projectId)) state.maps.set(projectId, emptyMap(projectId));
  return state.maps.get(projectId);
}

const putNode = (state, data) => mapFor(state, data.project_id).nodes.set(data.node.id, data.node);
onEvent(EVENT.MAP_NODE_ADDED, putNode);
onEvent(EVENT.MAP_NODE_MOVED, putNode);
onEvent(EVENT.MAP_NODE_EDITED, putNode);
onEvent(EVENT.MAP_NODE_REMOVED, (state, data) => {
  const m = mapFor(state, data.project_id);
  m.nodes.delete(data.node_id);
  for (const id of data.link_ids) m.links.delete(id);
  for (const item of data.plan_items) m.plan.set(item.id, item);
});
onEvent(EVENT.MAP_LINK_ADDED, (state, data) => mapFor(state, data.project_id).links.set(data.link.id, data.link));
onEvent(EVENT.MAP_LINK_REMOVED, (state, data) => mapFor(state, data.project_id).links.delete(data.link_id));
const putItem = (state, data) => mapFor(state, data.project_id).plan.set(data.item.id, data.item);
onEvent(EVENT.PLAN_ITEM_ADDED, putItem);
onEvent(EVENT.PLAN_ITEM_EDITED, putItem);
onEvent(EVENT.PLAN_ITEM_REMOVED, (state, data) => mapFor(state, data.project_id).plan.delete(data.item_id));
onEvent(EVENT.MAP_SETTINGS_EDITED, (state, data) => {
  mapFor(state, data.project_id).settings = { ...data.settings };
});
onEvent(EVENT.EMAIL_DRAFT_SAVED, (state, data) => mapFor(state, data.project_id).drafts.set(data.draft.ring, data.draft));

/** The map of an existing project (an empty one before its first change), or null. */
export function mapOf(state, projectId) {
  if (!state.projects?.has(projectId)) return null;
  return state.maps?.get(projectId) || emptyMap(projectId);
}

// --- this device's map changes not on the server yet, laid over the map --------------------------

const MAP_COMMANDS = new Set([
  COMMAND.MAP_NODE_ADD, COMMAND.MAP_NODE_MOVE, COMMAND.MAP_NODE_EDIT, COMMAND.MAP_NODE_REMOVE, COMMAND.MAP_LINK_ADD, COMMAND.MAP_LINK_REMOVE,
  COMMAND.PLAN_ITEM_ADD, COMMAND.PLAN_ITEM_EDIT, COMMAND.PLAN_ITEM_REMOVE, COMMAND.MAP_SETTINGS_EDIT, COMMAND.EMAIL_DRAFT_SAVE,
]);
const RING_INNER_EDGE = { inner: CENTRE_RADIUS, network: RING_OUTER.inner, crowd: RING_OUTER.network };

/** A spot in the middle of a ring, in a direction of its own (the server picks the real spot). */
function spotInRing(ring, angle) {
  const radius = (RING_INNER_EDGE[ring] + RING_OUTER[ring]) / 2;
  return clampToMap(radius * Math.cos(angle), radius * Math.sin(angle));
}

/** A direction made from an op_id, so a pending node stays put across redraws and reloads. */
function angleOf(text) {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) % 3600;
  return (hash / 3600) * 2 * Math.PI;
}

/** Who this screen is, as the server records it in `added_by` / `updated_by` (null: the facilitator). */
function myParticipantId(state) {
  return state.me?.role === "participant" ? state.me.participant_id : null;
}

/** A node change laid over `nodes` (a copy of the map's). */
function overlayNode(state, nodes, opId, type, p) {
  if (type === COMMAND.MAP_NODE_ADD) {
    const ring = p.ring || (p.x !== undefined ? ringOf(p.x, p.y) : "inner");
    const pos = p.x !== undefined && !p.ring ? clampToMap(p.x, p.y) : spotInRing(ring, p.x !== undefined ? Math.atan2(p.y, p.x) : angleOf(opId));
    const id = `pending-${opId}`;
    nodes.set(id, { id, label: p.label, kind: p.kind || "person", ring, reach: p.reach ?? 0, ...pos,
      added_by: myParticipantId(state), pending: "add" });
    return;
  }
  const node = nodes.get(p.node_id);
  if (!node) return; // gone meanwhile: the server will refuse it, and the refusal is shown
  const sticky = node.pending === "remove" ? "remove" : null;
  if (type === COMMAND.MAP_NODE_REMOVE) {
    nodes.set(node.id, { ...node, pending: "remove" });
  } else if (type === COMMAND.MAP_NODE_MOVE) {
    const pos = clampToMap(p.x, p.y);
    nodes.set(node.id, { ...node, ...pos, ring: ringOf(pos.x, pos.y), pending: sticky || "move" });
  } else {
    const edited = { ...node, pending: sticky || "edit" };
    for (const key of ["label", "kind", "reach"]) if (p[key] !== undefined) edited[key] = p[key];
    if (p.ring && p.ring !== node.ring) Object.assign(edited, spotInRing(p.ring, Math.atan2(node.y, node.x)), { ring: p.ring });
    nodes.set(node.id, edited);
  }
}

/** A link or share-plan change laid over `things` (a copy of the map's links or plan). */
function overlayThing(state, things, opId, type, p) {
  if (type === COMMAND.MAP_LINK_ADD) {
    const id = `pending-${opId}`;
    things.set(id, { id, from_node_id: p.from_node_id, to_node_id: p.to_node_id, added_by: myParticipantId(state), pending: "add" });
  } else if (type === COMMAND.PLAN_ITEM_ADD) {
    const id = `pending-${opId}`;
    things.set(id, { id, what: p.what, node_id: p.node_id ?? null, ring: p.ring ?? null, when: p.when,
      where: p.where ?? "", how: p.how ?? "", added_by: myParticipantId(state), pending: "add" });
  } else {
    const id = type === COMMAND.MAP_LINK_REMOVE ? p.link_id : p.item_id;
    const thing = things.get(id);
    if (!thing) return; // gone meanwhile: refused on return, and the refusal is shown
    if (type !== COMMAND.PLAN_ITEM_EDIT) {
      things.set(id, { ...thing, pending: "remove" });
      return;
    }
    const edited = { ...thing, pending: thing.pending === "remove" ? "remove" : thing.pending === "add" ? "add" : "edit" };
    for (const key of ["what", "when", "where", "how"]) if (p[key] !== undefined && p[key] !== null) edited[key] = p[key];
    if (p.node_id) Object.assign(edited, { node_id: p.node_id, ring: null });
    else if (p.ring) Object.assign(edited, { node_id: null, ring: p.ring });
    things.set(id, edited);
  }
}

/**
 * The map as this screen shows it: the server's, with this device's changes still waiting (offline,
 * or acked and their event not here yet) laid over it, each marked with `pending`:
 * - a node: "add" (its id is "pending-<op_id>", no controls until it is on the server), "move",
 *   "edit" or "remove";
 * - a link or a share-plan item: "add" (id "pending-<op_id>"), "edit" (plan) or "remove"; the links
 *   of a node being removed go with it ("remove");
 * - the settings (momentum assumptions): `settings.pending` = "edit";
 * - an e-mail draft: `pending` = "edit" (its `updated_at` is when it was kept on this device).
 * Null as mapOf.
 */
export function shownMap(state, projectId) {
  const map = mapOf(state, projectId);
  if (!map) return null;
  const commands = pendingCommands(state).filter((c) => MAP_COMMANDS.has(c.type) && c.payload.project_id === projectId);
  if (!commands.length) return map;
  const shown = { ...map, nodes: new Map(map.nodes), links: new Map(map.links), plan: new Map(map.plan), drafts: new Map(map.drafts) };
  for (const { op_id: opId, type, payload: p, at } of commands) {
    if (type.startsWith("map_node_")) overlayNode(state, shown.nodes, opId, type, p);
    else if (type.startsWith("map_link_")) overlayThing(state, shown.links, opId, type, p);
    else if (type.startsWith("plan_item_")) overlayThing(state, shown.plan, opId, type, p);
    else if (type === COMMAND.MAP_SETTINGS_EDIT) {
      const settings = { ...shown.settings, pending: "edit" };
      for (const key of ["average_pledge", "conversion_pct"]) if (p[key] !== undefined && p[key] !== null) settings[key] = p[key];
      shown.settings = settings;
    } else if (type === COMMAND.EMAIL_DRAFT_SAVE) {
      shown.drafts.set(p.ring, { ring: p.ring, subject: p.subject ?? "", body: p.body, updated_by: myParticipantId(state),
        updated_at: new Date(at || Date.now()).toISOString(), pending: "edit" });
    }
  }
  // A node waiting to be removed takes its links with it (the server removes both at once).
  for (const link of shown.links.values()) {
    const ends = [shown.nodes.get(link.from_node_id), shown.nodes.get(link.to_node_id)];
    if (link.pending !== "remove" && ends.some((n) => n?.pending === "remove")) shown.links.set(link.id, { ...link, pending: "remove" });
  }
  return shown;
}

/** Nodes a new link or plan item may point at: on the server and not being removed. */
export function linkableNodes(map) {
  return nodesInOrder(map).filter((n) => n.pending !== "add" && n.pending !== "remove");
}

/** Ids in order (nodes, links, plan items): the server's by id, then this device's pending ones as made. */
export function compareNodeIds(a, b) {
  const pa = typeof a !== "number";
  const pb = typeof b !== "number";
  if (pa || pb) return Number(pa) - Number(pb);
  return a - b;
}

/** The ring a position falls in. */
export function ringOf(x, y) {
  const r = Math.hypot(x, y);
  if (r < RING_OUTER.inner) return "inner";
  if (r < RING_OUTER.network) return "network";
  return "crowd";
}

/** A position kept on the map, as the server clamps it (between the project's disc and the edge). */
export function clampToMap(x, y) {
  const r = Math.hypot(x, y);
  const angle = r > 1e-9 ? Math.atan2(y, x) : Math.PI / 2;
  const radius = Math.min(Math.max(r, CENTRE_RADIUS), OUTER_RADIUS);
  const round = (v) => Math.round(v * 10000) / 10000;
  return { x: round(radius * Math.cos(angle)), y: round(radius * Math.sin(angle)) };
}

/** Who may edit, move or remove something on a project's map (the server checks it again). */
export function canChange(state, project, addedBy) {
  const me = state.me;
  if (!me || me.role === "projector") return false;
  if (me.role === "facilitator") return true;
  return me.participant_id === project.author_id || (addedBy !== null && me.participant_id === addedBy);
}

/** Settings and e-mail drafts: the project's author (and the facilitator). */
export function isOwner(state, project) {
  const me = state.me;
  return me?.role === "facilitator" || (me?.role === "participant" && me.participant_id === project.author_id);
}

/** Anyone but the projector adds to a map. */
export function canAdd(state) {
  return Boolean(state.me) && state.me.role !== "projector";
}

/** Nodes sorted by ring, then label (the list view's order). */
export function nodesInOrder(map) {
  return [...map.nodes.values()].sort((a, b) => RINGS.indexOf(a.ring) - RINGS.indexOf(b.ring)
    || a.label.localeCompare(b.label) || compareNodeIds(a.id, b.id));
}

/** The share plan as a timeline: campaign phase, then the order items were added. */
export function timeline(map) {
  return [...map.plan.values()].sort((a, b) => PHASES.indexOf(a.when) - PHASES.indexOf(b.when) || compareNodeIds(a.id, b.id));
}

/**
 * The momentum meter, as server/domain/momentum.py computes it (integers, so every screen agrees):
 * inner reach × conversion % = backers; × average pledge = amount; against 30 % of the goal.
 */
export function momentum(map, goalAmount) {
  const reach = [...map.nodes.values()].filter((n) => n.ring === "inner").reduce((sum, n) => sum + n.reach, 0);
  const backers = Math.floor((reach * map.settings.conversion_pct) / 100);
  const amount = backers * map.settings.average_pledge;
  if (!goalAmount) return { reach, backers, amount, target: null, progress: null, reached: false };
  const target = Math.max(1, Math.floor((goalAmount * TARGET_PCT + 50) / 100));
  return { reach, backers, amount, target, progress: Math.floor((amount * 100) / target), reached: amount >= target };
}

// --- live, unstored: drags by others and who looks at which map -----------------------------------

const DRAG_STALE_MS = 2500; // a drag whose frames stopped (the dragger left) is forgotten
export const PRESENCE_EVERY_MS = 20000;
const PRESENCE_STALE_MS = 50000;

const live = { drags: new Map(), viewers: new Map(), listeners: new Set(), sockets: new WeakSet(), looking: null, page: null };

function tell(kind) {
  for (const fn of [...live.listeners]) fn(kind);
}

/** Listen to live changes ("drag", "viewers"); returns the unsubscribe function. */
export function onLive(fn) {
  live.listeners.add(fn);
  return () => live.listeners.delete(fn);
}

/** Another person's node being dragged right now, or null. */
export function liveDrag(projectId, nodeId) {
  const drag = live.drags.get(`${projectId}:${nodeId}`);
  if (!drag || Date.now() - drag.at > DRAG_STALE_MS) return null;
  return drag;
}

/** Forget a live drag (its committed move arrived). */
export function endLiveDrag(projectId, nodeId) {
  live.drags.delete(`${projectId}:${nodeId}`);
}

/** Who else looks at this map now: [{viewer, participant_id, role}]. */
export function viewersOf(projectId) {
  const now = Date.now();
  return [...live.viewers.values()].filter((v) => v.project_id === projectId && now - v.at < PRESENCE_STALE_MS);
}

/** Say which map this screen looks at; `page` is the map page doing it (kept up by its heartbeat). */
export function announceLooking(socket, projectId, page) {
  live.looking = projectId;
  live.page = page;
  socket.declare(EPHEMERAL_EVENT.MAP_PRESENCE, { project_id: projectId, reply: false });
}

/** A map page went away: say "no map" unless another map page took over meanwhile. */
export function stopLooking(socket, page) {
  if (live.page !== page) return;
  live.looking = null;
  live.page = null;
  socket.declare(EPHEMERAL_EVENT.MAP_PRESENCE, { project_id: null, reply: false });
}

/** Listen once per connection to the live map traffic. */
export function installLive(socket) {
  if (live.sockets.has(socket)) return;
  live.sockets.add(socket);
  // On every (re)connect, say at once which map this screen looks at (usually none): the server then
  // sends live drags and map presence for that map only; a socket that never says gets every drag.
  socket.store?.subscribe((state, change) => {
    if (change?.kind === "connection" && state.connection === "connected") {
      socket.declare(EPHEMERAL_EVENT.MAP_PRESENCE, { project_id: live.looking, reply: false });
    }
  });
  socket.on(EPHEMERAL_EVENT.MAP_NODE_DRAG, (d) => {
    const key = `${d.project_id}:${d.node_id}`;
    if (d.done) live.drags.delete(key);
    else live.drags.set(key, { ...d, at: Date.now() });
    tell("drag");
  });
  socket.on(EPHEMERAL_EVENT.MAP_PRESENCE, (p) => {
    const known = live.viewers.get(p.viewer);
    if (p.project_id === null) live.viewers.delete(p.viewer);
    else live.viewers.set(p.viewer, { ...p, at: Date.now() });
    // Someone new on my map learns I am here too (one answer, never an answer to an answer).
    const isNewHere = p.project_id !== null && p.project_id === live.looking && known?.project_id !== p.project_id;
    if (isNewHere && !p.reply) socket.volatile(EPHEMERAL_EVENT.MAP_PRESENCE, { project_id: live.looking, reply: true });
    tell("viewers");
  });
  socket.on(EPHEMERAL_EVENT.PRESENCE, (p) => {
    if (p.online) return;
    for (const [key, v] of live.viewers) if (v.participant_id === p.participant_id) live.viewers.delete(key);
    tell("viewers");
  });
}

// A deleted project takes its map with it (the server deletes both in one transaction).
onEvent(EVENT.PROJECT_DELETED, (state, data) => state.maps.delete(data.project_id));
