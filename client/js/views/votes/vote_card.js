// The vote on each story card: place / take back dots (never on one's own card), the refusal reason,
// and after the reveal the story's rank and where one's own dots went.

import { h } from "../../dom.js";
import { t, errorText } from "../../i18n.js";
import { nameOf } from "../../state/board.js";
import { closedReasonKey } from "../../state/show.js";
import { currentRound, dotsOn, isCandidate, revealedRounds, shownView, wouldRefuse } from "../../state/votes.js";
import { isPending, sendDot } from "./vote_actions.js";
import { registerCardExtension } from "../registry.js";
import { COMMAND } from "../../net/events.js";

/** Whose dots this screen places: the participant's own, or the attendee the facilitator picked. */
function activeVoter(state) {
  if (state.me?.role === "participant") return state.me.participant_id;
  if (state.me?.role === "facilitator") return state.voteProxyFor ?? null;
  return null;
}

function create(ctx, project) {
  const el = h("div", { class: "vote-card", "data-testid": "vote-card" });
  const count = h("span", { class: "vote-count", "data-testid": "vote-count" });
  const place = h("button", { type: "button", class: "vote-place", "data-testid": "vote-place" }, t("vote.place"));
  const takeBack = h("button", { type: "button", class: "vote-take-back", "data-testid": "vote-take-back" }, t("vote.take_back"));
  const note = h("p", { class: "vote-note muted", "data-testid": "vote-note" });
  const refusal = h("p", { class: "vote-refusal", role: "status", "data-testid": "vote-refusal" });
  const badge = h("p", { class: "vote-badge", "data-testid": "vote-badge" });
  // This device's dots on this story not yet on the server (offline): said in words, not only drawn.
  const waiting = h("p", { class: "pending-badge", "data-testid": "vote-pending", id: `vote-pending-${project.id}` });
  const controls = h("div", { class: "vote-controls actions" }, count, place, takeBack);
  el.append(badge, waiting, controls, note, refusal);
  place.addEventListener("click", () => click(ctx, el, COMMAND.VOTE_CAST));
  takeBack.addEventListener("click", () => click(ctx, el, COMMAND.VOTE_RETRACT));
  update(el, ctx, project);
  return el;
}

function click(ctx, el, command) {
  const project = ctx.store.state.projects.get(Number(el.dataset.projectId));
  const voter = activeVoter(ctx.store.state);
  if (project && voter !== null) sendDot(ctx, command, project, voter);
}

function update(el, ctx, project) {
  const state = ctx.store.state;
  el.dataset.projectId = String(project.id);
  const round = currentRound(state);
  const voter = activeVoter(state);
  const [badge, waiting, controls, note, refusal] = el.children;
  const [count, place, takeBack] = controls.children;

  const open = round.state === "open" && state.vote;
  const own = voter !== null && project.author_id === voter;
  const inRound = isCandidate(round, project.id);
  // A vote open while the phase (or the lock) keeps voting closed: say so up front, no dead buttons.
  const gated = closedReasonKey(state, "voting");
  // Own story: no vote control at all (the server refuses it anyway).
  controls.hidden = !(open && voter !== null && inRound && !own && !gated);
  note.hidden = !(open && voter !== null && (own || !inRound || gated));
  note.textContent = own ? t("vote.own_story") : !inRound ? t("vote.not_in_round") : gated ? t(gated) : "";
  el.dataset.gated = String(Boolean(gated && open));
  const view = voter === null ? null : shownView(state, voter);
  const waitingHere = view?.pending.get(project.id);
  waiting.hidden = !waitingHere;
  waiting.textContent = !waitingHere ? ""
    : waitingHere.delta > 0 ? t("vote.pending.cast", { count: waitingHere.delta })
      : waitingHere.delta < 0 ? t("vote.pending.retract", { count: -waitingHere.delta }) : t("pending.edit");
  el.dataset.pending = String(Boolean(waitingHere));
  if (!controls.hidden) {
    const mine = dotsOn(view, round.number, project.id);
    const forSomeoneElse = state.me?.role === "facilitator";
    count.textContent = forSomeoneElse
      ? t("vote.on_story_for", { name: nameOf(state, voter), count: mine })
      : t("vote.on_story", { count: mine });
    const busy = isPending(voter, project.id);
    const full = !view || wouldRefuse(view, round, project, COMMAND.VOTE_CAST) !== null;
    place.setAttribute("aria-label", t("vote.place_on", { title: project.title }));
    takeBack.setAttribute("aria-label", t("vote.take_back_on", { title: project.title }));
    for (const button of [place, takeBack]) button.setAttribute("aria-describedby", waiting.id);
    // aria-disabled keeps focus on the button; a click still goes to the server, which says why not.
    place.setAttribute("aria-disabled", String(full || busy));
    takeBack.hidden = mine <= 0;
    takeBack.setAttribute("aria-disabled", String(busy));
    el.dataset.mine = String(mine);
  }
  // A refusal stays in view after the close too: "the vote is closed, this dot was not counted".
  const error = state.vote?.refused.get(project.id);
  refusal.hidden = !error;
  refusal.textContent = error ? t("vote.refused", { reason: errorText(error) }) : "";

  // After a reveal (and until the next round opens): the rank, the count, and one's own dots.
  const shown = round.state === "open" ? null : revealedRounds(state)[0];
  const entry = shown?.ranking?.find((r) => r.project_id === project.id);
  badge.hidden = !entry;
  if (entry) {
    const mineThen = dotsOn(state.vote.mine, shown.number, project.id);
    badge.textContent = (entry.hidden ? t("vote.hidden_badge", { dots: entry.dots }) : t("vote.result_badge", { rank: entry.rank, dots: entry.dots }))
      + (mineThen ? ` · ${t("vote.your_dots_went", { count: mineThen })}` : "");
  }
  el.hidden = controls.hidden && note.hidden && refusal.hidden && badge.hidden && waiting.hidden;
}

registerCardExtension({ id: "vote", create, update });
