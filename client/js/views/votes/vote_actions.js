// Sending dots and keeping this screen's private view of them fresh (acks, vote_mine), shared by vote views.

import { toast } from "../../dom.js";
import { t, errorText } from "../../i18n.js";
import { currentRound, shownView, storeView, wouldRefuse } from "../../state/votes.js";
import { REQUEST } from "../../net/events.js";

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
  const reply = await ctx.socket.request(REQUEST.VOTE_MINE, payload);
  if (reply?.ok && storeView(ctx.store.state, reply.mine, seq)) ctx.store.setLocal({}, "vote");
}

/**
 * Place (`vote_cast`) or take back (`vote_retract`) one dot. It shows at once (the outbox is laid over
 * the voter's dots); the ack carries the voter's own dots; a refusal is kept on the card and said in
 * a toast, in the person's language. Offline, the dot waits in the outbox (across a reload too) and is
 * sent once when the connection returns; a dot the budget or the cap cannot take is not queued.
 */
export async function sendDot(ctx, command, project, voterId) {
  const key = `${voterId}:${project.id}`;
  if (pending.has(key)) return;
  const state = ctx.store.state;
  const vote = state.vote;
  const offline = !ctx.socket.online;
  if (offline) {
    const error = wouldRefuse(shownView(state, voterId), currentRound(state), project, command);
    if (error) {
      vote.refused.set(project.id, error);
      toast(t("vote.refused", { reason: errorText(error) }), "error");
      ctx.store.setLocal({}, "vote");
      return;
    }
    vote.refused.delete(project.id);
  }
  const payload = { project_id: project.id };
  if (state.me?.role === "facilitator") payload.voter_id = voterId;
  const sending = ctx.socket.send(command, payload, { title: project.title });
  if (offline) toast(t("pending.saved_offline"));
  else {
    // Online: one dot at a time per story until its ack (a double click is not two dots).
    pending.add(key);
    ctx.store.setLocal({}, "vote");
  }
  let ack;
  try {
    ack = await sending;
  } finally {
    pending.delete(key);
  }
  if (ack.ok) {
    ctx.store.state.vote.refused.clear(); // the dots changed: earlier refusals ("budget spent") no longer hold
  } else {
    ctx.store.state.vote.refused.set(project.id, ack.error);
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
