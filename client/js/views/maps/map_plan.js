// The share plan: the seed's five questions (what, to whom, when, where, how) and the timeline,
// ordered by campaign phase.

import { h, replaceChildren, toast } from "../../dom.js";
import { t } from "../../i18n.js";
import { PHASES, RINGS, canAdd, canChange, linkableNodes, shownMap, timeline } from "../../state/maps.js";
import { concerns, mappingOpen, nodeLabel, sendMap, sendMapFromForm } from "./map_common.js";
import { COMMAND } from "../../net/events.js";
import { PLAN_HOW_MAX, PLAN_WHAT_MAX, PLAN_WHERE_MAX } from "../../limits.js";

function whomOf(map, item) {
  return item.node_id !== null ? nodeLabel(map, item.node_id) : t("map.plan.whom_ring", { ring: t(`ring.${item.ring}`) });
}

function planForm(ctx, projectId) {
  const id = (name) => `map-${projectId}-plan-${name}`;
  const what = h("input", { id: id("what"), required: true, maxlength: PLAN_WHAT_MAX, autocomplete: "off" });
  const whom = h("select", { id: id("whom") });
  const when = h("select", { id: id("when") }, PHASES.map((p) => h("option", { value: p }, t(`phase.${p}`))));
  const where = h("input", { id: id("where"), maxlength: PLAN_WHERE_MAX, autocomplete: "off" });
  const how = h("textarea", { id: id("how"), maxlength: PLAN_HOW_MAX, rows: 3 });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, t("map.plan.add"));
  const field = (input, key) => h("div", { class: "field" }, h("label", { for: input.id }, t(key)), input);
  const form = h("form", { class: "map-plan-form", "data-testid": "map-plan-form" },
    h("div", { class: "row" }, field(what, "map.plan.what"), field(whom, "map.plan.whom")),
    h("div", { class: "row" }, field(when, "map.plan.when"), field(where, "map.plan.where")),
    field(how, "map.plan.how"), error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!what.value.trim()) {
      error.textContent = t("error.required", { field: t("map.plan.what") });
      what.focus();
      return;
    }
    const [kind, value] = whom.value.split(":");
    const target = kind === "node" ? { node_id: Number(value) } : { ring: value };
    submit.disabled = true;
    const ack = await sendMapFromForm(ctx, COMMAND.PLAN_ITEM_ADD, {
      project_id: projectId, what: what.value.trim(), when: when.value, where: where.value.trim(), how: how.value.trim(), ...target,
    });
    submit.disabled = false;
    if (!ack || ack.ok) {
      if (ack) toast(t("map.plan.added"));
      what.value = "";
      how.value = "";
      what.focus();
    }
  });
  const fillWhom = (map) => {
    if (document.activeElement === whom) return;
    const value = whom.value;
    const nodes = linkableNodes(map);
    replaceChildren(whom,
      h("optgroup", { label: t("map.field.ring") }, RINGS.map((r) => h("option", { value: `ring:${r}` }, t(`ring.${r}`)))),
      // A node not on the server yet (or being removed) cannot be a plan item's target.
      nodes.length ? h("optgroup", { label: t("map.list.title") }, nodes.map((n) => h("option", { value: `node:${n.id}` }, n.label))) : null);
    if ([...whom.options].some((o) => o.value === value)) whom.value = value;
  };
  return { form, fillWhom };
}

function itemElement(ctx, projectId, map, item) {
  const state = ctx.store.state;
  const project = state.projects.get(projectId);
  const li = h("li", { class: "plan-item", "data-testid": "plan-item", "data-item-id": item.id, "data-when": item.when });
  // A change of this device not on the server yet (offline): said in words on the item.
  const waiting = item.pending
    ? h("p", { class: "pending-badge", "data-testid": "map-pending", id: `plan-pending-${item.id}` }, t(`map.pending.${item.pending}`)) : null;
  if (item.pending) li.dataset.pending = item.pending;
  const body = [
    waiting,
    h("p", { class: "plan-what" }, h("strong", {}, h("bdi", {}, item.what)), " → ", h("bdi", { class: "plan-whom" }, whomOf(map, item))),
  ].filter(Boolean);
  if (item.where) body.push(h("p", { class: "plan-where muted", dir: "auto" }, item.where));
  if (item.how) body.push(h("p", { class: "plan-how", dir: "auto" }, item.how));
  const settled = item.pending !== "add" && item.pending !== "remove"; // no controls until it is on the server
  if (settled && mappingOpen(state, projectId) && canChange(state, project, item.added_by)) {
    const when = h("select", { "aria-label": t("map.plan.phase_of", { what: item.what }) },
      PHASES.map((p) => h("option", { value: p, selected: p === item.when }, t(`phase.${p}`))));
    when.addEventListener("change", () => sendMap(ctx, COMMAND.PLAN_ITEM_EDIT, { project_id: projectId, item_id: item.id, when: when.value }));
    const remove = h("button", { type: "button", class: "link", "aria-label": t("map.plan.remove_label", { what: item.what }) }, t("map.node.remove"));
    remove.addEventListener("click", () => sendMap(ctx, COMMAND.PLAN_ITEM_REMOVE, { project_id: projectId, item_id: item.id }));
    if (waiting) for (const control of [when, remove]) control.setAttribute("aria-describedby", waiting.id);
    body.push(h("div", { class: "actions" }, when, remove));
  }
  li.append(...body);
  return li;
}

/** Mount the share plan (form and timeline) of one project's map. */
export function mountMapPlan(container, ctx, projectId) {
  const headingId = `map-${projectId}-plan-h`;
  const { form, fillWhom } = planForm(ctx, projectId);
  const empty = h("p", { class: "empty" }, t("map.plan.empty"));
  const line = h("ol", { class: "timeline", "data-testid": "timeline", "aria-label": t("map.plan.timeline") });
  container.append(h("h2", { id: headingId }, t("map.plan.title")), h("p", { class: "muted" }, t("map.plan.lead")), form,
    h("h3", {}, t("map.plan.timeline")), empty, line);

  let signature = "";
  const render = () => {
    const state = ctx.store.state;
    const map = shownMap(state, projectId);
    if (!map) return;
    fillWhom(map);
    form.hidden = !(mappingOpen(state, projectId) && canAdd(state));
    const items = timeline(map);
    empty.hidden = items.length > 0;
    // Rebuild the timeline only when it changed; the keyboard stays on the item it was on.
    const next = JSON.stringify([items, [...map.nodes.values()].map((n) => [n.id, n.label]), mappingOpen(state, projectId)]);
    if (next === signature) return;
    signature = next;
    const focused = line.contains(document.activeElement) ? document.activeElement : null;
    const focusItem = focused?.closest("[data-item-id]")?.dataset.itemId;
    const focusTag = focused?.tagName;
    const phases = PHASES.filter((p) => items.some((i) => i.when === p)).map((phase) => h("li", { class: "timeline-phase", "data-phase": phase },
      h("h4", {}, t(`phase.${phase}`)),
      h("ul", { class: "plan-items" }, items.filter((i) => i.when === phase).map((i) => itemElement(ctx, projectId, map, i)))));
    replaceChildren(line, ...phases);
    if (focusItem) line.querySelector(`[data-item-id="${focusItem}"] ${focusTag === "SELECT" ? "select" : "button"}`)?.focus();
  };
  render();
  ctx.subscribe((state, change) => {
    if (concerns(change, projectId) || change.type?.startsWith("show_")) render();
  });
}
