// The facilitator's console: the current phase and its timer, start / next / pause / resume / extend,
// gate overrides and the lock, the spotlight, and the previews.

import { h, replaceChildren } from "../../dom.js";
import { t, tIsolated } from "../../i18n.js";
import { GATES, currentPhase, gateOpen } from "../../state/show.js";
import { agendaEditor } from "./console_agenda.js";
import { sendOrToast } from "./console_shared.js";
import { registerPanel } from "../registry.js";
import { phaseLine, timerElement } from "./timer.js";
import { COMMAND, EVENT } from "../../net/events.js";

/** The phase that "Next" would start: the first that has not run. */
function nextPhase(show) {
  return show.phases.find((p) => !p.started_at) || null;
}

function controls(ctx) {
  const box = h("div", { class: "console-controls actions" });
  const render = (state) => {
    const show = state.show;
    const status = show?.status || "idle";
    const next = show ? nextPhase(show) : null;
    const buttons = [];
    if (status === "idle" || (status === "ended" && next)) {
      buttons.push(button("primary", t("show.start"), () => sendOrToast(ctx, COMMAND.SHOW_ADVANCE, { from_phase_id: null }), "show-next"));
    } else if (status !== "ended") {
      const label = next ? t("show.next", { title: next.title }) : t("show.finish");
      buttons.push(button("primary", label, () => sendOrToast(ctx, COMMAND.SHOW_ADVANCE, { from_phase_id: show.current_phase_id }), "show-next"));
      buttons.push(status === "paused"
        ? button("", t("show.resume"), () => sendOrToast(ctx, COMMAND.SHOW_RESUME, {}), "show-resume")
        : button("", t("show.pause"), () => sendOrToast(ctx, COMMAND.SHOW_PAUSE, {}), "show-pause"));
      buttons.push(button("", t("show.extend1"), () => sendOrToast(ctx, COMMAND.SHOW_EXTEND, { seconds: 60 }), "show-extend1", t("show.extend1.label")));
      buttons.push(button("", t("show.extend5"), () => sendOrToast(ctx, COMMAND.SHOW_EXTEND, { seconds: 300 }), "show-extend5", t("show.extend5.label")));
    }
    const focused = document.activeElement?.dataset?.testid;
    replaceChildren(box, buttons);
    // Keep keyboard focus on the same control when the buttons are rebuilt.
    if (focused) box.querySelector(`[data-testid="${focused}"]`)?.focus();
  };
  return { box, render };
}

function button(kind, label, onClick, testId, ariaLabel) {
  const el = h("button", { type: "button", class: kind, "data-testid": testId, "aria-label": ariaLabel }, label);
  el.addEventListener("click", onClick);
  return el;
}

function gateControls(ctx) {
  const fieldset = h("fieldset", { class: "gates" }, h("legend", {}, t("show.gates")));
  const selects = new Map();
  for (const gate of GATES) {
    const id = `gate-${gate}`;
    const select = h("select", { id, "data-testid": id });
    select.addEventListener("change", () => {
      const open = select.value === "follow" ? null : select.value === "open";
      sendOrToast(ctx, COMMAND.SHOW_GATE_SET, { gate, open });
    });
    selects.set(gate, select);
    fieldset.append(h("div", { class: "gate-row" }, h("label", { for: id }, t(`show.gate.${gate}`)), select));
  }
  const lock = h("input", { type: "checkbox", id: "show-lock", "data-testid": "show-lock" });
  lock.addEventListener("change", () => sendOrToast(ctx, COMMAND.SHOW_LOCK_SET, { locked: lock.checked }));
  fieldset.append(h("div", { class: "check" }, lock, h("label", { for: "show-lock" }, t("show.lock"))));
  const render = (state) => {
    const show = state.show;
    const phase = currentPhase(state);
    for (const [gate, select] of selects) {
      const byPhase = show?.status === "idle" || !phase ? true : Boolean(phase.gates[gate]);
      const override = show?.overrides?.[gate];
      replaceChildren(select,
        h("option", { value: "follow" }, t("show.gate.follow", { state: t(`show.gate.state.${byPhase ? "open" : "closed"}`) })),
        h("option", { value: "open" }, t("show.gate.open")),
        h("option", { value: "closed" }, t("show.gate.closed")));
      select.value = override === undefined ? "follow" : override ? "open" : "closed";
      select.dataset.open = String(gateOpen(state, gate));
    }
    lock.checked = Boolean(show?.locked);
  };
  return { fieldset, render };
}

function spotlightLine(ctx) {
  const box = h("div", { class: "spotlight-line", "data-testid": "console-spotlight" });
  const render = (state) => {
    const spot = state.spotlight;
    const project = spot && state.projects.get(spot.project_id);
    if (!project) return replaceChildren(box, h("p", { class: "muted" }, t("show.spotlight.none")));
    const clear = button("", t("show.spotlight.clear"), () => sendOrToast(ctx, COMMAND.SPOTLIGHT_SET, { project_id: null }), "spotlight-clear");
    replaceChildren(box, h("p", {}, tIsolated("show.spotlight.now", { title: project.title, view: t(`show.spotlight.view.${spot.view}`) })), clear);
  };
  return { box, render };
}

function previews(ctx) {
  const links = [h("a", { href: "#as-participant", class: "button", "data-testid": "preview-participant" }, t("show.preview.participant")),
    h("a", { href: "#projector", class: "button", "data-testid": "preview-projector" }, t("show.preview.projector"))];
  if (ctx.identity?.projector_link) {
    links.push(h("a", { href: ctx.identity.projector_link, target: "_blank", rel: "noopener", class: "button" }, t("show.preview.open_projector")));
  }
  return h("div", { class: "actions previews" }, links);
}

function mountConsole(container, ctx) {
  const heading = h("p", { class: "console-phase", "data-testid": "phase" });
  const buttons = controls(ctx);
  const gates = gateControls(ctx);
  const spot = spotlightLine(ctx);
  const section = h("section", { class: "panel console", "aria-labelledby": "console-h", "data-testid": "console" },
    h("h2", { id: "console-h" }, t("show.title")),
    h("div", { class: "console-now" }, heading, timerElement(ctx, { className: "timer-big" })),
    buttons.box, spot.box, gates.fieldset, previews(ctx), agendaEditor(ctx));
  container.append(section);
  const render = (state) => {
    heading.textContent = phaseLine(state);
    buttons.render(state);
    gates.render(state);
    spot.render(state);
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type?.startsWith("show_") || change.type === EVENT.SPOTLIGHT_CHANGED
        || change.type?.startsWith("project_")) render(state);
  });
}

registerPanel({ id: "console", area: "main", order: 1, roles: ["facilitator"], mount: mountConsole });
