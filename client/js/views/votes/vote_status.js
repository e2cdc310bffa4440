// The participant's vote bar: the round's state and rules, and my remaining dots, always in view.

import { h, replaceChildren } from "../../dom.js";
import { t, tIsolated } from "../../i18n.js";
import { currentRound, returnedDots, shownView } from "../../state/votes.js";
import { refreshView } from "./vote_actions.js";
import { registerPanel } from "../registry.js";
import { EVENT } from "../../net/events.js";

const PROGRESS = new Set([EVENT.VOTE_CAST_ACCEPTED, EVENT.VOTE_RETRACT_ACCEPTED]);

function mount(container, ctx) {
  const title = h("h2", { id: "vote-status-h" });
  const stateLine = h("p", { class: "vote-state" });
  const rules = h("p", { class: "muted" });
  const remaining = h("p", { class: "vote-remaining", role: "status", "data-testid": "vote-remaining" });
  // Dots that came back when a card left the vote, and why (read out as they arrive).
  const returnedList = h("ul", {});
  const returned = h("div", { class: "vote-returned", role: "status", "data-testid": "vote-returned" }, returnedList);
  const box = h("div", { class: "panel vote-status", "data-testid": "vote-status", "aria-labelledby": "vote-status-h" },
    title, stateLine, remaining, returned, rules);
  // A copy of the remaining dots that stays on screen while scrolling (the panel line is the one read out).
  const pill = h("p", { class: "vote-pill", "aria-hidden": "true", "data-testid": "vote-pill" });
  container.append(box, pill);

  const render = (state) => {
    const round = currentRound(state);
    // Nothing to say before the facilitator sets up or opens round 1.
    box.hidden = round.state === "not_started" && round.number === 1;
    title.textContent = `${t("vote.title")} · ${t("vote.round", { number: round.number })}`;
    stateLine.textContent = {
      not_started: t("vote.waiting_open"),
      open: `${t("vote.state.open")}. ${t("vote.open_lead")}`,
      closed: t("vote.waiting_reveal"),
      revealed: t("vote.state.revealed"),
    }[round.state];
    rules.textContent = t("vote.rules", { budget: round.budget, cap: round.cap });
    const mine = state.me?.role === "participant" ? shownView(state, state.me.participant_id) : null;
    remaining.hidden = !mine || round.state === "revealed";
    if (mine) {
      remaining.textContent = t("vote.remaining", { remaining: mine.remaining, budget: mine.budget })
        + (mine.pendingTotal ? ` · ${t("vote.pending.total", { count: mine.pendingTotal })}` : "");
    }
    remaining.dataset.pending = String(Boolean(mine?.pendingTotal));
    const back = state.me?.role === "participant" ? returnedDots(state, state.me.participant_id) : [];
    returned.hidden = back.length === 0;
    if (returnedList.childElementCount !== back.length) {
      replaceChildren(returnedList, ...back.map((r) => h("li", {}, tIsolated(`vote.returned.${r.reason}`, { count: r.dots, title: r.title }))));
    }
    pill.hidden = !mine || round.state !== "open";
    pill.textContent = remaining.textContent;
    box.dataset.state = round.state;
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    // My other tab placed or took back a dot: fetch my own dots (the event never says where).
    if (change.kind === "event" && PROGRESS.has(change.type)) {
      const data = change.frame.data;
      if (data.voter_id === state.me.participant_id && state.vote.mine?.used !== data.dots_used) {
        refreshView(ctx, data.voter_id);
      }
    }
    render(state);
  });
}

registerPanel({ id: "vote-status", area: "main", order: 12, roles: ["participant"], mount });
