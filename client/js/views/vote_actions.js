// Sending dots and keeping this screen's private view of them fresh (acks, vote_mine), shared by vote views.

import { toast } from "../dom.js";
import { t, errorText } from "../i18n.js";
import { storeView } from "../state/votes.js";

const pending = new Set(); // "voterId:projectId" of dots in flight from this screen

/** True while a dot of this voter on this story waits for its ack. */
export function isPending(voterId, projectId) {
  return pending.has(`${voterId}:${projectId}`);
}

/** Ask the server for a voter's own dots (another tab placed some, or a dot was refused). */
export async function refreshView(ctx, voterId) {
  const state = ctx.store.state;
  const seq = state.seq;
  const payload = state.me?.role === "facilitator" ? { voter_id: voterId } : {};
  const reply = await ctx.socket.request("vote_mine", payload);
  if (reply?.ok && storeView(ctx.store.state, reply.mine, seq)) ctx.store.setLocal({}, "vote");
}

/**
 * Place (`vote_cast`) or take back (`vote_retract`) one dot. The ack carries the voter's own dots;
 * a refusal is kept on the card and said in a toast, in the person's language.
 */
export async function sendDot(ctx, command, project, voterId) {
  const key = `${voterId}:${project.id}`;
  if (pending.has(key)) return;
  pending.add(key);
  ctx.store.setLocal({}, "vote");
  const state = ctx.store.state;
  const payload = { project_id: project.id };
  if (state.me?.role === "facilitator") payload.voter_id = voterId;
  let ack;
  try {
    ack = await ctx.socket.send(command, payload);
  } finally {
    pending.delete(key);
  }
  const vote = ctx.store.state.vote;
  if (ack.ok) {
    vote.refused.clear(); // the dots changed: earlier refusals ("budget spent") no longer hold
    if (ack.result?.mine) storeView(ctx.store.state, ack.result.mine, ack.seq);
  } else {
    vote.refused.set(project.id, ack.error);
    toast(t("vote.refused", { reason: errorText(ack.error) }), "error");
    refreshView(ctx, voterId);
  }
  ctx.store.setLocal({}, "vote");
}

/** Send a facilitator command; say the error if refused. Resolves with the ack. */
export async function facilitate(ctx, command, payload = {}) {
  const ack = await ctx.socket.send(command, payload);
  if (!ack.ok) toast(errorText(ack.error), "error");
  return ack;
}
