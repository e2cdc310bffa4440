// The agenda editor: edit titles, durations and gates, reorder, add and remove phases, save at once.

import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n.js";
import { clockTime, sendOrToast } from "./console_shared.js";
import { toast } from "../../dom.js";
import { COMMAND } from "../../net/events.js";
import { PHASE_DURATION_MAX_S, PHASE_TITLE_MAX } from "../../limits.js";
import { GATES } from "../../state/show.js";

function draftOf(show) {
  return (show?.phases || []).map((p) => ({ ...p, gates: { ...p.gates } }));
}

/** The agenda as a <details> the facilitator opens to edit; changes are local until "Save". */
export function agendaEditor(ctx) {
  const list = h("ol", { class: "agenda", "data-testid": "agenda" });
  const save = h("button", { type: "button", class: "primary", "data-testid": "agenda-save" }, t("show.agenda.save"));
  const reset = h("button", { type: "button" }, t("show.agenda.reset"));
  const add = h("button", { type: "button" }, t("show.agenda.add"));
  const details = h("details", { class: "agenda-editor" },
    h("summary", {}, h("h3", { class: "inline" }, t("show.agenda"))),
    h("p", { class: "muted" }, t("show.agenda.lead")), list, h("div", { class: "actions" }, add, save, reset));
  let draft = draftOf(ctx.store.state.show);
  let dirty = false;

  const touch = () => {
    dirty = true;
    render();
  };
  const move = (i, by) => {
    const [item] = draft.splice(i, 1);
    draft.splice(i + by, 0, item);
    touch();
    list.querySelectorAll("li")[i + by]?.querySelector(by < 0 ? ".up" : ".down")?.focus();
  };

  function row(phase, i) {
    const n = i + 1;
    const ran = Boolean(phase.started_at);
    const current = phase.id !== null && phase.id === ctx.store.state.show?.current_phase_id;
    const title = h("input", { id: `phase-${i}-title`, value: phase.title, maxlength: PHASE_TITLE_MAX, "aria-label": t("show.agenda.title", { n }) });
    title.addEventListener("change", () => { phase.title = title.value; dirty = true; });
    const minutes = h("input", { id: `phase-${i}-min`, type: "number", min: 1, max: PHASE_DURATION_MAX_S / 60, value: Math.round(phase.duration_s / 60),
      class: "minutes", "aria-label": t("show.agenda.minutes", { n }) });
    minutes.addEventListener("change", () => { phase.duration_s = Math.max(1, Number(minutes.value) || 1) * 60; dirty = true; });
    const gates = GATES.map((gate) => {
      const box = h("input", { type: "checkbox", id: `phase-${i}-${gate}`, "aria-label": t("show.agenda.gate", { gate: t(`show.gate.${gate}`), n }) });
      box.checked = Boolean(phase.gates[gate]);
      box.addEventListener("change", () => { phase.gates[gate] = box.checked; dirty = true; });
      return h("span", { class: "check" }, box, h("span", { "aria-hidden": "true" }, t(`show.gate.${gate}`)));
    });
    const firstMovable = draft.filter((p) => p.started_at).length;
    const up = h("button", { type: "button", class: "up", "aria-label": t("show.agenda.up", { title: phase.title }), disabled: ran || i <= firstMovable }, "↑");
    up.addEventListener("click", () => move(i, -1));
    const down = h("button", { type: "button", class: "down", "aria-label": t("show.agenda.down", { title: phase.title }), disabled: ran || i === draft.length - 1 }, "↓");
    down.addEventListener("click", () => move(i, 1));
    const remove = h("button", { type: "button", class: "danger", "aria-label": t("show.agenda.remove", { title: phase.title }), disabled: ran || draft.length === 1 }, "✕");
    remove.addEventListener("click", () => { draft.splice(i, 1); touch(); });
    const when = ran
      ? (phase.ended_at ? t("show.agenda.done", { start: clockTime(phase.started_at), end: clockTime(phase.ended_at) })
        : t("show.agenda.now", { start: clockTime(phase.started_at) }))
      : "";
    const runNext = !ran && phase.id !== null && ctx.store.state.show?.status !== "idle"
      ? h("button", { type: "button", "aria-label": t("show.run_next.label", { title: phase.title }) }, t("show.run_next"))
      : null;
    runNext?.addEventListener("click", () => sendOrToast(ctx, COMMAND.SHOW_ADVANCE,
      { from_phase_id: ctx.store.state.show.current_phase_id, to_phase_id: phase.id }));
    return h("li", { class: "agenda-row", "data-state": current ? "current" : ran ? "done" : "upcoming" },
      h("div", { class: "agenda-main" }, title, h("span", { class: "minutes-field" }, minutes, h("span", { "aria-hidden": "true" }, t("show.agenda.min")))),
      h("div", { class: "agenda-gates" }, gates),
      h("div", { class: "agenda-actions actions" }, up, down, remove, runNext),
      when ? h("p", { class: "muted when" }, when) : null);
  }

  function render() {
    replaceChildren(list, draft.map(row));
  }

  add.addEventListener("click", () => {
    draft.push({ id: null, kind: "custom", title: "", duration_s: 600, gates: { posting: false, voting: false, mapping: false } });
    touch();
    list.lastElementChild?.querySelector("input")?.focus();
  });
  reset.addEventListener("click", () => {
    draft = draftOf(ctx.store.state.show);
    dirty = false;
    render();
  });
  save.addEventListener("click", async () => {
    const phases = draft.map((p) => {
      const item = { kind: p.kind, title: p.title, duration_s: p.duration_s, gates: p.gates };
      if (p.id !== null) item.id = p.id;
      return item;
    });
    const ack = await sendOrToast(ctx, COMMAND.SHOW_AGENDA_SET, { phases });
    if (ack.ok) {
      dirty = false;
      toast(t("show.agenda.saved"));
    }
  });
  render();
  ctx.subscribe((state, change) => {
    // Someone else's change (or a phase starting) refreshes the list unless the facilitator is editing.
    if ((change.kind === "snapshot" || change.type?.startsWith("show_")) && !dirty) {
      draft = draftOf(state.show);
      render();
    }
  });
  return details;
}
