// The keyboard way to build a tribe map: add with a form, change ring with a select, move closer or
// further, change reach, remove, and link "A can bring B". It edits the same map as the drawing.

import { h, replaceChildren, syncList, toast } from "../../dom.js";
import { t, tIsolated, formatNumber } from "../../i18n.js";
import { nameOf } from "../../state/board.js";
import {
  KINDS, RINGS, CENTRE_RADIUS, OUTER_RADIUS, canAdd, canChange, clampToMap, compareNodeIds, linkableNodes, nodesInOrder,
  shownMap,
} from "../../state/maps.js";
import { concerns, mappingOpen, nodeLabel, sendMap, sendMapFromForm } from "./map_common.js";
import { COMMAND, EVENT } from "../../net/events.js";
import { NODE_LABEL_MAX, REACH_MAX } from "../../limits.js";

const STEP = 0.13; // one "closer"/"further" press: about half a ring's width
// A control used from the keyboard may move its row to another ring's list: focus follows it there.
let refocus = null; // {nodeId, control}

function options(values, labelOf, selected) {
  return values.map((value) => h("option", { value, selected: value === selected }, labelOf(value)));
}

function addForm(ctx, projectId) {
  const id = (name) => `map-${projectId}-add-${name}`;
  const label = h("input", { id: id("label"), name: "label", required: true, maxlength: NODE_LABEL_MAX, autocomplete: "off" });
  const kind = h("select", { id: id("kind"), name: "kind" }, options(KINDS, (k) => t(`kind.${k}`), "person"));
  const ring = h("select", { id: id("ring"), name: "ring" }, options(RINGS, (r) => t(`ring.${r}`), "inner"));
  const reach = h("input", { id: id("reach"), name: "reach", type: "number", min: 0, max: REACH_MAX, step: 1, value: 1, inputmode: "numeric" });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, t("map.add.submit"));
  const field = (input, key) => h("div", { class: "field" }, h("label", { for: input.id }, t(key)), input);
  const form = h("form", { class: "map-add-form", "data-testid": "map-add-form", "aria-labelledby": id("h") },
    h("h3", { id: id("h") }, t("map.add.title")),
    h("div", { class: "row" }, field(label, "map.field.label"), field(kind, "map.field.kind")),
    h("div", { class: "row" }, field(ring, "map.field.ring"), field(reach, "map.field.reach")),
    error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const text = label.value.trim();
    if (!text) {
      error.textContent = t("error.required", { field: t("map.field.label") });
      label.focus();
      return;
    }
    submit.disabled = true;
    const sending = sendMapFromForm(ctx, COMMAND.MAP_NODE_ADD, {
      project_id: projectId, label: text, kind: kind.value, ring: ring.value, reach: Math.max(0, Number(reach.value) || 0),
    });
    // The node shows at once (pending until acked): the field is free for the next one right away.
    label.value = "";
    label.focus(); // ready for the next one, keyboard only
    const ack = await sending;
    submit.disabled = false;
    if (ack?.ok) toast(tIsolated("map.added", { label: text }));
    else if (ack && !label.value) label.value = text; // refused (toast says why): the text is back to fix
  });
  return form;
}

function nodeRow(ctx, projectId, node) {
  const li = h("li", { class: "map-row", "data-testid": "map-row", "data-node-id": node.id });
  updateRow(ctx, projectId, li, node);
  return li;
}

function updateRow(ctx, projectId, li, node) {
  const state = ctx.store.state;
  const project = state.projects.get(projectId);
  const signature = JSON.stringify([node, mappingOpen(state, projectId), state.participants.size, document.documentElement.lang]);
  if (li.dataset.signature === signature) return;
  li.dataset.signature = signature;
  li.dataset.ring = node.ring;
  li.dataset.label = node.label;
  const meta = tIsolated("map.node.meta", {
    kind: t(`kind.${node.kind}`), reach: formatNumber(node.reach),
    name: node.added_by === null ? t("map.facilitator") : nameOf(state, node.added_by),
  });
  const head = h("div", { class: "map-row-head" },
    h("span", { class: `ring-dot ring-${node.ring}`, "aria-hidden": "true" }),
    h("strong", { class: "map-row-label" }, node.label),
    h("span", { class: "muted map-row-meta" }, meta));
  // A change of this device not on the server yet (offline): said in words on the row.
  const waiting = node.pending
    ? h("p", { class: "pending-badge", "data-testid": "map-pending", id: `map-pending-${node.id}` }, t(`map.pending.${node.pending}`)) : null;
  if (node.pending) li.dataset.pending = node.pending;
  else delete li.dataset.pending;
  const settled = node.pending !== "add" && node.pending !== "remove"; // no controls until it is on the server
  const editable = settled && mappingOpen(state, projectId) && canChange(state, project, node.added_by);
  if (!editable) {
    replaceChildren(li, waiting, head, h("span", { class: "muted" }, t(`ring.${node.ring}`)));
    return;
  }
  const focused = document.activeElement;
  const keep = focused && li.contains(focused) ? focused.dataset.control : null;
  const ring = h("select", { "aria-label": t("map.node.ring_of", { label: node.label }), "data-control": "ring" },
    options(RINGS, (r) => t(`ring.${r}`), node.ring));
  ring.addEventListener("change", () => {
    refocus = { nodeId: node.id, control: "ring" };
    sendMap(ctx, COMMAND.MAP_NODE_EDIT, { project_id: projectId, node_id: node.id, ring: ring.value });
  });
  const reach = h("input", {
    type: "number", min: 0, max: REACH_MAX, step: 1, value: node.reach, inputmode: "numeric", class: "map-reach",
    "aria-label": t("map.node.reach_of", { label: node.label }), "data-control": "reach",
  });
  reach.addEventListener("change", () => {
    const value = Math.max(0, Math.floor(Number(reach.value) || 0));
    if (value !== node.reach) sendMap(ctx, COMMAND.MAP_NODE_EDIT, { project_id: projectId, node_id: node.id, reach: value });
  });
  const step = (delta) => {
    const radius = Math.min(Math.max(Math.hypot(node.x, node.y) + delta, CENTRE_RADIUS), OUTER_RADIUS);
    const angle = Math.atan2(node.y, node.x);
    const to = clampToMap(radius * Math.cos(angle), radius * Math.sin(angle));
    sendMap(ctx, COMMAND.MAP_NODE_MOVE, { project_id: projectId, node_id: node.id, x: to.x, y: to.y });
  };
  const closer = h("button", { type: "button", "aria-label": t("map.node.closer_label", { label: node.label }), "data-control": "closer" }, t("map.node.closer"));
  closer.addEventListener("click", () => {
    refocus = { nodeId: node.id, control: "closer" };
    step(-STEP);
  });
  const further = h("button", { type: "button", "aria-label": t("map.node.further_label", { label: node.label }), "data-control": "further" }, t("map.node.further"));
  further.addEventListener("click", () => {
    refocus = { nodeId: node.id, control: "further" };
    step(STEP);
  });
  const remove = h("button", { type: "button", class: "danger", "aria-label": t("map.node.remove_label", { label: node.label }), "data-control": "remove" }, t("map.node.remove"));
  remove.addEventListener("click", () => {
    if (window.confirm(t("map.node.remove_confirm", { label: node.label }))) {
      sendMap(ctx, COMMAND.MAP_NODE_REMOVE, { project_id: projectId, node_id: node.id });
    }
  });
  if (waiting) for (const control of [ring, reach, closer, further, remove]) control.setAttribute("aria-describedby", waiting.id);
  replaceChildren(li, waiting, head, h("div", { class: "actions map-row-controls" }, ring, reach, closer, further, remove));
  // A redraw (someone else's change) keeps the keyboard where it was.
  if (keep) li.querySelector(`[data-control="${keep}"]`)?.focus();
}

function linkSection(ctx, projectId) {
  const id = (name) => `map-${projectId}-link-${name}`;
  const from = h("select", { id: id("from") });
  const to = h("select", { id: id("to") });
  const submit = h("button", { type: "submit" }, t("map.links.add"));
  const form = h("form", { class: "map-link-form", "data-testid": "map-link-form" },
    h("div", { class: "row" },
      h("div", { class: "field" }, h("label", { for: from.id }, t("map.links.from")), from),
      h("div", { class: "field" }, h("label", { for: to.id }, t("map.links.to")), to)),
    h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!from.value || !to.value) return;
    // Offline, the link shows at once (pending) and the form is free for the next one.
    await sendMapFromForm(ctx, COMMAND.MAP_LINK_ADD, { project_id: projectId, from_node_id: Number(from.value), to_node_id: Number(to.value) });
  });
  const list = h("ul", { class: "map-links-list", "data-testid": "map-links-list" });
  const empty = h("p", { class: "muted" });
  const needTwo = h("p", { class: "muted" }, t("map.links.need_two"));
  const section = h("section", { class: "map-links-section", "aria-labelledby": id("h") },
    h("h3", { id: id("h") }, t("map.links.title")), empty, list, needTwo, form);

  function render() {
    const state = ctx.store.state;
    const project = state.projects.get(projectId);
    const map = shownMap(state, projectId);
    if (!map) return;
    const nodes = linkableNodes(map); // a node not on the server yet (or being removed) cannot be linked
    const writable = mappingOpen(state, projectId) && canAdd(state);
    for (const select of [from, to]) {
      if (document.activeElement === select) continue;
      const value = select.value;
      replaceChildren(select, nodes.map((n) => h("option", { value: n.id }, n.label)));
      if (nodes.some((n) => String(n.id) === value)) select.value = value;
    }
    if (to.value === from.value && nodes.length > 1 && document.activeElement !== to) to.value = String(nodes.find((n) => String(n.id) !== from.value).id);
    form.hidden = !writable || nodes.length < 2;
    needTwo.hidden = !writable || nodes.length >= 2;
    const links = [...map.links.values()].sort((a, b) => compareNodeIds(a.id, b.id));
    empty.hidden = links.length > 0;
    empty.textContent = t("map.links.empty");
    syncList(list, links, (l) => l.id, (l) => linkRow(l), (li, l) => fillLink(li, l));

    function linkRow(link) {
      const li = h("li", { "data-testid": "map-link-row" });
      fillLink(li, link);
      return li;
    }
    function fillLink(li, link) {
      const names = { from: nodeLabel(map, link.from_node_id), to: nodeLabel(map, link.to_node_id) };
      li.dataset.from = names.from;
      li.dataset.to = names.to;
      // A change of this device not on the server yet (offline): said in words on the row.
      const domId = `map-link-pending-${link.id}`;
      const waiting = link.pending
        ? h("p", { class: "pending-badge", "data-testid": "map-pending", id: domId }, t(`map.pending.${link.pending}`)) : null;
      if (link.pending) li.dataset.pending = link.pending;
      else delete li.dataset.pending;
      const parts = [waiting, h("span", { class: "map-link-text" }, tIsolated("map.links.item", names))];
      // No controls until it is on the server, or while it is being removed.
      if (!link.pending && mappingOpen(state, projectId) && canChange(state, project, link.added_by)) {
        const remove = h("button", { type: "button", class: "link", "aria-label": t("map.links.remove_label", names) }, t("map.node.remove"));
        remove.addEventListener("click", () => sendMap(ctx, COMMAND.MAP_LINK_REMOVE, { project_id: projectId, link_id: link.id }));
        parts.push(remove);
      }
      replaceChildren(li, ...parts);
    }
  }
  return { section, render };
}

/** Mount the list view of one project's map (nodes, the add form, links). */
export function mountMapList(container, ctx, projectId) {
  const headingId = `map-${projectId}-list-h`;
  const empty = h("p", { class: "empty" }, t("map.list.empty"));
  const groups = Object.fromEntries(RINGS.map((ring) => [ring, h("ul", { class: "map-list", "aria-labelledby": `${headingId}-${ring}` })]));
  const ringSections = RINGS.map((ring) => h("div", { class: `map-ring-group ring-${ring}`, "data-ring": ring },
    h("h4", { id: `${headingId}-${ring}` }, h("span", { class: `ring-dot ring-${ring}`, "aria-hidden": "true" }), t(`ring.${ring}`),
      h("span", { class: "muted map-ring-hint" }, ` — ${t(`ring.${ring}.hint`)}`)),
    groups[ring]));
  const form = addForm(ctx, projectId);
  const links = linkSection(ctx, projectId);
  container.append(h("h2", { id: headingId }, t("map.list.title")), empty, ...ringSections, form, links.section);

  const render = () => {
    const state = ctx.store.state;
    const map = shownMap(state, projectId);
    if (!map) return;
    const nodes = nodesInOrder(map);
    empty.hidden = nodes.length > 0;
    for (const ring of RINGS) {
      syncList(groups[ring], nodes.filter((n) => n.ring === ring), (n) => n.id,
        (n) => nodeRow(ctx, projectId, n), (li, n) => updateRow(ctx, projectId, li, n));
    }
    form.hidden = !(mappingOpen(state, projectId) && canAdd(state));
    links.render();
    const lost = !document.activeElement || document.activeElement === document.body;
    if (refocus && lost) {
      container.querySelector(`[data-node-id="${refocus.nodeId}"] [data-control="${refocus.control}"]`)?.focus();
      refocus = null;
    }
  };
  render();
  ctx.subscribe((state, change) => {
    if (concerns(change, projectId) || change.type?.startsWith("show_") || change.type === EVENT.PARTICIPANT_JOINED) render();
  });
}
