// The facilitator's vote controls: settings, open / close / reveal, who is done (never the tally),
// another round, and attendees without a device whose dots the facilitator places on the cards.

import { h, replaceChildren, syncList, toast } from "../../dom.js";
import { t, tIsolated } from "../../i18n.js";
import { nameOf, projectsInOrder } from "../../state/board.js";
import { gateOpen } from "../../state/show.js";
import { currentRound, returnedDots, revealedRounds, shownView, whoIsDone } from "../../state/votes.js";
import { facilitate, refreshView } from "./vote_actions.js";
import { registerPanel } from "../registry.js";
import { COMMAND, EVENT } from "../../net/events.js";
import { BUDGET_MAX, DISPLAY_NAME_MAX, PROJECTS_PER_BOARD } from "../../limits.js";

const PROGRESS = new Set([EVENT.VOTE_CAST_ACCEPTED, EVENT.VOTE_RETRACT_ACCEPTED]);

function numberField(id, label, min, max) {
  const input = h("input", { id, type: "number", min, max, step: 1, inputmode: "numeric", required: true });
  return { input, field: h("div", { class: "field" }, h("label", { for: id }, label), input) };
}

function settingsForm(ctx) {
  const budget = numberField("vote-budget", t("vote.budget"), 1, BUDGET_MAX);
  const cap = numberField("vote-cap", t("vote.cap"), 1, BUDGET_MAX);
  const save = h("button", { type: "submit" }, t("vote.save_settings"));
  const locked = h("p", { class: "muted", "data-testid": "vote-settings-locked" }, t("vote.settings_locked"));
  const fieldset = h("fieldset", { class: "vote-settings" }, h("legend", {}, t("vote.settings")),
    h("div", { class: "row" }, budget.field, cap.field), save, locked);
  const form = h("form", { "data-testid": "vote-settings" }, fieldset);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ack = await facilitate(ctx, COMMAND.VOTE_CONFIGURE, { budget: Number(budget.input.value), cap: Number(cap.input.value) });
    if (ack.ok) toast(t("vote.settings_saved"));
  });
  const update = (round) => {
    const editable = round.state === "not_started" || round.state === "closed";
    fieldset.disabled = !editable;
    locked.hidden = round.state !== "open";
    form.hidden = round.state === "revealed";
    // Don't overwrite what the facilitator is typing.
    if (!form.contains(document.activeElement)) {
      budget.input.value = String(round.budget);
      cap.input.value = String(round.cap);
    }
  };
  return { form, update };
}

function stepButtons(ctx) {
  const button = (label, testid, command) => {
    const el = h("button", { type: "button", class: "primary", "data-testid": testid }, label);
    el.addEventListener("click", () => facilitate(ctx, command));
    return el;
  };
  const open = h("button", { type: "button", class: "primary", "data-testid": "vote-open" }, t("vote.open"));
  open.addEventListener("click", async () => {
    // A vote nobody can use is no vote: opening it while the phase keeps voting closed opens the gate too
    // (until the next phase, like any override). A locked board stays locked: the warning says so.
    const state = ctx.store.state;
    if (!state.show?.locked && !gateOpen(state, "voting")) {
      const ack = await facilitate(ctx, COMMAND.SHOW_GATE_SET, { gate: "voting", open: true });
      if (!ack.ok) return;
    }
    facilitate(ctx, COMMAND.VOTE_OPEN);
  });
  const close = button(t("vote.close"), "vote-close", COMMAND.VOTE_CLOSE);
  const reveal = button(t("vote.reveal"), "vote-reveal", COMMAND.VOTE_REVEAL);
  const el = h("div", { class: "actions vote-steps" }, open, close, reveal);
  const update = (round) => {
    open.hidden = !(round.state === "not_started" || round.state === "closed");
    open.textContent = t(round.state === "closed" ? "vote.reopen" : "vote.open");
    close.hidden = round.state !== "open";
    reveal.hidden = round.state !== "closed";
  };
  return { el, update };
}

/** Says when the vote and the gate disagree: the phase or the lock keeps participants' dots closed. */
function gateWarning(ctx) {
  const text = h("span", {});
  const openGate = h("button", { type: "button", "data-testid": "vote-open-gate" }, t("vote.gate.open_now"));
  openGate.addEventListener("click", () => facilitate(ctx, COMMAND.SHOW_GATE_SET, { gate: "voting", open: true }));
  const el = h("p", { class: "gate-note", role: "status", "data-testid": "vote-gate-warning" }, text, " ", openGate);
  const update = (state, round) => {
    const locked = Boolean(state.show?.locked);
    const closed = locked || !gateOpen(state, "voting");
    el.hidden = !closed || round.state === "revealed";
    if (el.hidden) return;
    const key = locked ? "vote.gate.locked" : round.state === "open" ? "vote.gate.closed_now" : "vote.gate.will_open";
    text.textContent = t(key);
    openGate.hidden = locked || round.state !== "open";
  };
  return { el, update };
}

function whoIsDonePanel() {
  const done = h("p", { "data-testid": "vote-done" });
  const notVoted = h("p", { "data-testid": "vote-not-voted" });
  const el = h("div", { class: "vote-progress", role: "status" }, h("h3", {}, t("vote.who_is_done")), done, notVoted);
  const update = (state, round) => {
    el.hidden = round.state !== "open" && round.state !== "closed";
    const counts = whoIsDone(state);
    done.textContent = t("vote.done_count", { done: counts.done, voters: counts.voters });
    notVoted.textContent = t("vote.not_voted_count", { count: counts.notVoted });
  };
  return { el, update };
}

function nextRoundForm(ctx) {
  const top = numberField("vote-top", t("vote.top_n"), 1, PROJECTS_PER_BOARD);
  top.input.value = "5";
  const startTop = h("button", { type: "button", "data-testid": "vote-start-top" });
  const list = h("ul", { class: "vote-pick" });
  const startChosen = h("button", { type: "button", "data-testid": "vote-start-chosen" }, t("vote.start_chosen"));
  const el = h("fieldset", { class: "vote-next" }, h("legend", {}, t("vote.next_round")),
    h("div", { class: "row" }, top.field), startTop,
    h("h4", {}, t("vote.pick_stories")), list, startChosen);
  const started = (ack) => ack.ok && toast(t("vote.round_started", { number: currentRound(ctx.store.state).number }));
  startTop.addEventListener("click", async () => started(await facilitate(ctx, COMMAND.VOTE_ROUND_START, { top: Number(top.input.value) })));
  startChosen.addEventListener("click", async () => {
    const ids = [...list.querySelectorAll("input:checked")].map((box) => Number(box.value));
    started(await facilitate(ctx, COMMAND.VOTE_ROUND_START, { project_ids: ids }));
  });
  top.input.addEventListener("input", () => {
    startTop.textContent = t("vote.start_top", { count: top.input.value });
  });
  startTop.textContent = t("vote.start_top", { count: top.input.value });
  const update = (state, round) => {
    el.hidden = round.state !== "revealed";
    if (el.hidden) return;
    const ranked = revealedRounds(state)[0]?.ranking || [];
    const order = new Map(ranked.map((r, i) => [r.project_id, i]));
    const projects = projectsInOrder(state).sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
    syncList(list, projects, (p) => p.id,
      (p) => {
        const id = `vote-pick-${p.id}`;
        return h("li", {}, h("input", { type: "checkbox", id, value: p.id }), h("label", { for: id, class: "inline" }, p.title));
      },
      (li, p) => {
        li.querySelector("label").textContent = p.title;
      });
  };
  return { el, update };
}

function attendeesPanel(ctx) {
  const name = h("input", { id: "vote-attendee-name", maxlength: DISPLAY_NAME_MAX, autocomplete: "off" });
  const add = h("button", { type: "submit" }, t("vote.attendee_add"));
  const problem = h("p", { class: "form-error", role: "alert", id: "vote-attendee-error", "data-testid": "vote-attendee-error" });
  name.setAttribute("aria-describedby", problem.id);
  const form = h("form", { class: "vote-attendee-add", "data-testid": "vote-attendee-add" },
    h("div", { class: "field" }, h("label", { for: "vote-attendee-name" }, t("vote.attendee_name")), h("div", { class: "copy-row" }, name, add)),
    problem);
  const list = h("ul", { class: "vote-attendees", "data-testid": "vote-attendees" });
  const voting = h("p", { class: "vote-proxy-note", role: "status" });
  const el = h("div", { class: "vote-attendees-box" }, h("h3", {}, t("vote.attendees")),
    h("p", { class: "muted" }, t("vote.attendees_lead")), form, list, voting);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = name.value.trim();
    // Spaces alone are no name: said, not silently ignored.
    problem.textContent = typed ? "" : t("attendee.name_required");
    if (!typed) return name.focus();
    const ack = await facilitate(ctx, COMMAND.ATTENDEE_ADD, { name: typed });
    if (ack.ok) {
      name.value = "";
      toast(tIsolated("vote.attendee_added", { name: typed }));
    }
  });
  const update = (state, round) => {
    const attendees = [...state.vote.attendees].map((id) => state.participants.get(id)).filter(Boolean);
    syncList(list, attendees, (p) => p.id,
      (p) => {
        const toggle = h("button", { type: "button", class: "vote-proxy-toggle", "data-testid": "vote-proxy-toggle" });
        toggle.addEventListener("click", () => {
          const chosen = ctx.store.state.voteProxyFor === p.id ? null : p.id;
          ctx.store.setLocal({ voteProxyFor: chosen }, "vote");
          if (chosen !== null) refreshView(ctx, chosen);
        });
        return h("li", {}, h("span", { class: "name" }), h("span", { class: "muted remaining" }), toggle,
          h("p", { class: "vote-returned", role: "status", "data-testid": "vote-returned-for" }));
      },
      (li, p) => {
        const view = shownView(state, p.id);
        const on = state.voteProxyFor === p.id;
        li.querySelector(".name").textContent = p.name;
        li.querySelector(".remaining").textContent = view
          ? t("vote.remaining_short", { remaining: view.remaining, budget: view.budget }) : "";
        const toggle = li.querySelector("button");
        replaceChildren(toggle, tIsolated(on ? "vote.stop_voting_for" : "vote.vote_for", { name: p.name }));
        toggle.setAttribute("aria-pressed", String(on));
        li.dataset.active = String(on);
        // Dots that came back to this attendee when a card left the vote, and why.
        const back = returnedDots(state, p.id);
        const returned = li.querySelector(".vote-returned");
        returned.hidden = back.length === 0;
        if (returned.dataset.count !== String(back.length)) { // redrawn only when one more came back (read out once)
          returned.dataset.count = String(back.length);
          replaceChildren(returned, back.map((r) => [tIsolated(`vote.returned_for.${r.reason}`, { count: r.dots, title: r.title, name: p.name }), " "]));
        }
      });
    const proxy = state.voteProxyFor;
    voting.hidden = proxy == null || round.state !== "open";
    voting.textContent = proxy == null ? "" : t("vote.voting_for", { name: nameOf(state, proxy) });
  };
  return { el, update };
}

function mount(container, ctx) {
  const heading = h("h2", { id: "vote-host-h" });
  const stateLine = h("p", { class: "vote-state", role: "status", "data-testid": "vote-host-state" });
  const rules = h("p", { class: "muted" });
  const settings = settingsForm(ctx);
  const steps = stepButtons(ctx);
  const progress = whoIsDonePanel();
  const warning = gateWarning(ctx);
  const next = nextRoundForm(ctx);
  const attendees = attendeesPanel(ctx);
  const box = h("div", { class: "panel vote-host", "data-testid": "vote-host", "aria-labelledby": "vote-host-h" },
    heading, stateLine, warning.el, rules, steps.el, progress.el, settings.form, next.el, attendees.el);
  container.append(box);

  const render = (state) => {
    const round = currentRound(state);
    heading.textContent = `${t("vote.title")} · ${t("vote.round", { number: round.number })}`;
    stateLine.textContent = t(`vote.state.${round.state}`);
    rules.textContent = t("vote.rules", { budget: round.budget, cap: round.cap });
    box.dataset.state = round.state;
    for (const part of [settings, steps]) part.update(round);
    for (const part of [progress, next, attendees, warning]) part.update(state, round);
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "event") {
      const data = change.frame.data;
      // Another facilitator tab placed an attendee's dot: fetch that attendee's dots again.
      if (PROGRESS.has(change.type) && state.vote.attendees.has(data.voter_id)
          && state.vote.proxies.get(data.voter_id)?.used !== data.dots_used) {
        refreshView(ctx, data.voter_id);
      }
    }
    render(state);
  });
}

registerPanel({ id: "vote-host", area: "main", order: 12, roles: ["facilitator"], mount });
