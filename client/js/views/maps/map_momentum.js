// The momentum meter: how far the inner circle alone gets toward ~30 % of the goal (guidance only),
// and the author's assumptions (average pledge, share of the inner circle who back).

import { h, toast } from "../../dom.js";
import { t, formatNumber, formatAmount, formatPercent } from "../../i18n.js";
import { TARGET_PCT, isOwner, momentum, shownMap } from "../../state/maps.js";
import { concerns, sendMapFromForm, setIfIdle } from "./map_common.js";
import { COMMAND } from "../../net/events.js";
import { AVERAGE_PLEDGE_MAX, CONVERSION_PCT_MAX, CONVERSION_PCT_MIN } from "../../limits.js";

/** Mount the momentum meter of one project's map. */
export function mountMapMomentum(container, ctx, projectId) {
  const id = (name) => `map-${projectId}-momentum-${name}`;
  const meter = h("meter", { id: id("meter"), min: 0, max: 100, low: 50, high: 99, optimum: 100, "data-testid": "momentum-meter" });
  const progress = h("p", { class: "momentum-progress", "data-testid": "momentum-progress" });
  const formula = h("p", { class: "momentum-formula", "data-testid": "momentum-formula" });
  const reached = h("p", { class: "momentum-reached" }, t("map.momentum.reached"));
  const noGoal = h("p", { class: "muted" }, t("map.momentum.no_goal"));
  const pledge = h("input", { id: id("pledge"), type: "number", min: 1, max: AVERAGE_PLEDGE_MAX, step: 1, inputmode: "numeric" });
  const conversion = h("input", { id: id("conversion"), type: "number", min: CONVERSION_PCT_MIN, max: CONVERSION_PCT_MAX, step: 1, inputmode: "numeric" });
  const pledgeLabel = h("label", { for: pledge.id });
  const settings = h("form", { class: "momentum-settings", "data-testid": "momentum-settings" },
    h("div", { class: "row" },
      h("div", { class: "field" }, pledgeLabel, pledge),
      h("div", { class: "field" }, h("label", { for: conversion.id }, t("map.settings.conversion")), conversion)),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("map.settings.save"))));
  settings.addEventListener("submit", async (event) => {
    event.preventDefault();
    // Offline, the new assumptions show at once (pending) and are sent on reconnect.
    const ack = await sendMapFromForm(ctx, COMMAND.MAP_SETTINGS_EDIT, {
      project_id: projectId, average_pledge: Math.floor(Number(pledge.value)), conversion_pct: Math.floor(Number(conversion.value)),
    });
    if (ack?.ok) toast(t("map.settings.saved"));
  });
  // This device's new assumptions not on the server yet (offline): said in words, there only while they wait.
  const waiting = h("p", { class: "pending-badge", "data-testid": "map-pending", id: id("pending") });
  const box = h("div", { class: "momentum", "data-testid": "momentum" },
    h("label", { for: meter.id, class: "visually-hidden" }, t("map.momentum.meter")), meter, progress, reached, formula, noGoal);
  container.append(h("h2", {}, t("map.momentum.title")), box, h("p", { class: "muted momentum-guidance" }, t("map.momentum.guidance", { share: formatPercent(TARGET_PCT) })), settings);

  const render = () => {
    const state = ctx.store.state;
    const project = state.projects.get(projectId);
    const map = shownMap(state, projectId);
    if (!project || !map) return;
    const currency = project.currency || "EUR";
    const m = momentum(map, project.goal_amount);
    formula.textContent = t("map.momentum.formula", {
      reach: formatNumber(m.reach), conversion: formatPercent(map.settings.conversion_pct), backers: formatNumber(m.backers),
      pledge: formatAmount(map.settings.average_pledge, currency), amount: formatAmount(m.amount, currency),
    });
    const hasGoal = m.target !== null;
    meter.hidden = !hasGoal;
    progress.hidden = !hasGoal;
    noGoal.hidden = hasGoal;
    reached.hidden = !m.reached;
    box.dataset.progress = hasGoal ? String(m.progress) : "";
    box.dataset.amount = String(m.amount);
    if (hasGoal) {
      meter.value = Math.min(m.progress, 100);
      progress.textContent = t("map.momentum.progress", { progress: formatPercent(m.progress), target: formatAmount(m.target, currency), share: formatPercent(TARGET_PCT) });
    }
    pledgeLabel.textContent = t("map.settings.pledge", { currency });
    setIfIdle(pledge, map.settings.average_pledge);
    setIfIdle(conversion, map.settings.conversion_pct);
    settings.hidden = !isOwner(state, project);
    const pending = map.settings.pending;
    if (pending) {
      waiting.textContent = t("map.pending.settings");
      if (!waiting.isConnected) box.before(waiting);
      box.dataset.pending = pending;
      for (const el of [pledge, conversion, meter]) el.setAttribute("aria-describedby", waiting.id);
    } else {
      waiting.remove();
      delete box.dataset.pending;
      for (const el of [pledge, conversion, meter]) el.removeAttribute("aria-describedby");
    }
  };
  render();
  ctx.subscribe((state, change) => {
    if (concerns(change, projectId)) render();
  });
}
