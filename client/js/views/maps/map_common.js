// Helpers shared by the tribe map views: sending a map command, its errors, labels of things.

import { toast } from "../../dom.js";
import { t, errorText } from "../../i18n.js";
import { nameOf } from "../../state/board.js";
import { gateOpen } from "../../state/show.js";
import { shownMap } from "../../state/maps.js";

/** The message for a refused map command (limits named in words), in the person's language. */
export function mapErrorText(error) {
  if (error?.code === "limit_reached" && ["nodes_per_map", "links_per_map", "plan_items_per_map"].includes(error.params?.limit)) {
    return t(`map.limit.${error.params.limit}`, error.params);
  }
  return errorText(error);
}

/** What names a map command if it is refused later: the project's title, the node's label. */
function namesOf(state, payload) {
  const node = payload.node_id === undefined ? null : shownMap(state, payload.project_id)?.nodes.get(payload.node_id);
  return { title: state.projects.get(payload.project_id)?.title ?? "", label: payload.label ?? node?.label ?? "" };
}

/**
 * Send a map command; a refusal is said in a toast. Resolves with the ack. Offline, the change shows
 * at once (the outbox is laid over the map: shownMap) and waits to be sent on reconnect.
 */
export async function sendMap(ctx, type, payload) {
  const ack = await ctx.socket.send(type, payload, namesOf(ctx.store.state, payload));
  if (!ack.ok) toast(mapErrorText(ack.error), "error");
  return ack;
}

/**
 * Send a map command from a form: when the connection is down the command waits in the outbox (sent
 * again on reconnect) and the form is free at once; otherwise resolves with the ack. `null` = queued.
 */
export async function sendMapFromForm(ctx, type, payload) {
  const sending = sendMap(ctx, type, payload);
  if (ctx.socket.online) return sending;
  toast(t("pending.saved_offline"));
  return null;
}

/** True when this change is about this project's map (or the project itself, or a whole reload). */
export function concerns(change, projectId) {
  if (change.kind === "snapshot" || change.kind === "pending") return true;
  if (change.kind !== "event") return false;
  const data = change.frame.data || {};
  return data.project_id === projectId || data.project?.id === projectId;
}

/**
 * Map changes are open now for this screen on this project's map (the facilitator always may; the
 * projector never; nobody while the facilitator hides the card: the server refuses, its events would reach everyone).
 */
export function mappingOpen(state, projectId) {
  if (state.me?.role === "projector" || state.hiddenProjects?.has(projectId)) return false;
  return state.me?.role === "facilitator" || gateOpen(state, "mapping");
}

/** "Ana", "the facilitator" or "the projector" for a live viewer or dragger. */
export function viewerName(state, who) {
  if (who.role === "facilitator") return t("map.facilitator");
  if (who.role === "projector") return t("map.projector");
  return nameOf(state, who.participant_id);
}

/** The label of a node by id ("?" when it is gone). */
export function nodeLabel(map, nodeId) {
  return map.nodes.get(nodeId)?.label ?? "?";
}

/** Keep a form field's value unless the person is typing in it. */
export function setIfIdle(el, value) {
  if (document.activeElement !== el) el.value = value;
}
