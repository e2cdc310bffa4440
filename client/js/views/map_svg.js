// The tribe map drawn in SVG: three rings around the project, nodes sized by reach, links as arrows.
// Drag and drop: live positions go out as throttled ephemeral frames, the drop is one committed
// move; others' drags show live. Positions are map units, so the picture is the same on every screen.

import { svg, h } from "../dom.js";
import { t } from "../i18n.js";
import {
  RINGS, RING_OUTER, CENTRE_RADIUS, canChange, clampToMap, compareNodeIds, endLiveDrag, liveDrag, onLive, ringOf,
  shownMap,
} from "../state/maps.js";
import { concerns, mappingOpen, sendMap, viewerName } from "./map_common.js";

const SCALE = 500;            // map units -> SVG units
const DRAG_FRAME_MS = 50;     // at most 20 ephemeral frames per second
const LABEL_MAX = 22;

/** A node's circle radius (SVG units) from its reach: big audiences show bigger, never huge. */
export function nodeRadius(reach) {
  return 14 + 7 * Math.log10(Math.max(0, reach) + 1);
}

function short(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function ringLayer() {
  const layer = svg("g", { class: "map-rings", "aria-hidden": "true" });
  for (const ring of [...RINGS].reverse()) {
    layer.append(svg("circle", { class: `map-ring ring-${ring}`, cx: 0, cy: 0, r: RING_OUTER[ring] * SCALE }));
  }
  const lower = { inner: CENTRE_RADIUS, network: RING_OUTER.inner, crowd: RING_OUTER.network };
  for (const ring of RINGS) {
    const y = -((lower[ring] + RING_OUTER[ring]) / 2) * SCALE;
    layer.append(svg("text", { class: `map-ring-label ring-${ring}`, x: 0, y, "text-anchor": "middle", "dominant-baseline": "middle" }, t(`ring.${ring}`)));
  }
  return layer;
}

/** A node not being added or removed right now (offline) can be dragged. */
function movable(node) {
  return node.pending !== "add" && node.pending !== "remove";
}

/** Mount the SVG map of one project into `container`. */
export function mountMapSvg(container, ctx, projectId) {
  const markerId = `map-arrow-${projectId}`;
  const centreTitle = svg("text", { class: "map-project-title", x: 0, y: 0, "text-anchor": "middle", "dominant-baseline": "middle" });
  const links = svg("g", { class: "map-links" });
  const nodes = svg("g", { class: "map-nodes" });
  const title = svg("title", {});
  const drawing = svg("svg", {
    class: "map-svg", viewBox: "-520 -520 1040 1040", role: "img", "data-testid": "map-svg",
    "data-project-id": projectId,
  },
  title,
  svg("defs", {}, svg("marker", { id: markerId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "map-arrow-head" }))),
  ringLayer(),
  svg("circle", { class: "map-project", cx: 0, cy: 0, r: CENTRE_RADIUS * SCALE * 0.9 }),
  centreTitle, links, nodes);
  const hint = h("p", { class: "muted map-hint" });
  container.append(drawing, hint);

  const elements = new Map(); // node id -> <g>
  let dragging = null;        // this screen's drag: {nodeId, pointerId, pos, lastSent, timer}
  let dropped = null;         // {nodeId, pos, seq?}: shown until the committed move is applied here

  /** Where a node shows now: my drag, my drop waiting for its event, someone's live drag, or the state. */
  function displayed(node) {
    if (dragging?.nodeId === node.id) return { ...dragging.pos, mine: true };
    if (dropped?.nodeId === node.id && (dropped.seq === undefined || ctx.store.state.seq < dropped.seq)) return { ...dropped.pos, mine: true };
    const other = liveDrag(projectId, node.id);
    if (other) return { x: other.x, y: other.y, by: other };
    return { x: node.x, y: node.y };
  }

  function nodeElement(node) {
    const g = svg("g", { class: "map-node", "data-testid": "map-node", "data-node-id": node.id },
      svg("title", {}),
      svg("circle", { class: "map-node-circle", cx: 0, cy: 0 }),
      svg("text", { class: "map-node-label", x: 0, "text-anchor": "middle" }),
      svg("text", { class: "map-node-by", x: 0, "text-anchor": "middle" }));
    g.addEventListener("pointerdown", (event) => startDrag(event, node.id, g));
    g.addEventListener("pointermove", (event) => moveDrag(event));
    g.addEventListener("pointerup", (event) => endDrag(event, false));
    g.addEventListener("pointercancel", (event) => endDrag(event, true));
    return g;
  }

  function draw() {
    const state = ctx.store.state;
    const project = state.projects.get(projectId);
    const map = shownMap(state, projectId);
    if (!project || !map) return;
    if (dropped && dropped.seq !== undefined && state.seq >= dropped.seq) dropped = null;
    const counts = { inner: 0, network: 0, crowd: 0 };
    const positions = new Map();
    for (const node of map.nodes.values()) {
      const pos = displayed(node);
      positions.set(node.id, pos);
      counts[ringOf(pos.x, pos.y)] += 1;
    }
    const waiting = [...map.nodes.values(), ...map.links.values()].filter((n) => n.pending).length;
    const label = t("map.svg_label", { title: project.title, ...counts })
      + (waiting ? ` ${t("map.pending.summary", { count: waiting })}` : "");
    drawing.setAttribute("aria-label", label);
    title.textContent = label;
    centreTitle.textContent = short(project.title, 18);
    const writable = mappingOpen(state);

    for (const [id, g] of elements) {
      if (!map.nodes.has(id)) {
        g.remove();
        elements.delete(id);
      }
    }
    for (const node of [...map.nodes.values()].sort((a, b) => compareNodeIds(a.id, b.id))) {
      let g = elements.get(node.id);
      if (!g) {
        // Ids only grow, so appending new nodes keeps id order (the same stacking on every screen);
        // existing ones are never re-inserted, which would break a pointer capture mid-drag.
        g = nodeElement(node);
        elements.set(node.id, g);
        nodes.append(g);
      }
      const pos = positions.get(node.id);
      const ring = ringOf(pos.x, pos.y);
      const r = nodeRadius(node.reach);
      const [titleEl, circle, text, by] = g.children;
      g.setAttribute("transform", `translate(${(pos.x * SCALE).toFixed(1)} ${(pos.y * SCALE).toFixed(1)})`);
      g.setAttribute("class", `map-node ring-${ring} kind-${node.kind}${node.pending ? " pending" : ""}`);
      // Not on the server yet (offline): drawn dashed, and said in words above the circle and in its title.
      if (node.pending) g.dataset.pending = node.pending;
      else delete g.dataset.pending;
      g.dataset.ring = ring;
      g.dataset.label = node.label;
      g.dataset.x = String(pos.x);
      g.dataset.y = String(pos.y);
      g.dataset.live = String(Boolean(pos.by));
      g.dataset.draggable = String(writable && movable(node) && canChange(state, project, node.added_by));
      circle.setAttribute("r", r.toFixed(1));
      text.setAttribute("y", (r + 22).toFixed(1));
      text.textContent = short(node.label, LABEL_MAX);
      titleEl.textContent = `${node.label} — ${t(`kind.${node.kind}`)}, ${node.reach}`
        + (node.pending ? ` (${t(`map.pending.${node.pending}`)})` : "");
      by.setAttribute("y", (-r - 8).toFixed(1));
      by.textContent = pos.by ? viewerName(state, pos.by) : node.pending ? t("map.pending.short") : "";
    }

    const frag = [];
    for (const link of [...map.links.values()].sort((a, b) => compareNodeIds(a.id, b.id))) {
      const from = positions.get(link.from_node_id);
      const to = positions.get(link.to_node_id);
      if (!from || !to) continue;
      const [x1, y1, x2, y2] = [from.x * SCALE, from.y * SCALE, to.x * SCALE, to.y * SCALE];
      const length = Math.hypot(x2 - x1, y2 - y1) || 1;
      const fromNode = map.nodes.get(link.from_node_id);
      const toNode = map.nodes.get(link.to_node_id);
      // Stop the arrow at the circles' edges so its head touches the node it points at.
      const a = nodeRadius(fromNode.reach) / length;
      const b = (nodeRadius(toNode.reach) + 3) / length;
      // Not on the server yet (offline): drawn dashed, and said in words in its title.
      const words = t("map.links.item", { from: fromNode.label, to: toNode.label })
        + (link.pending ? ` (${t(`map.pending.${link.pending}`)})` : "");
      frag.push(svg("line", {
        class: `map-link${link.pending ? " pending" : ""}`, "data-testid": "map-link", "data-link-id": link.id,
        ...(link.pending ? { "data-pending": link.pending } : {}), "marker-end": `url(#${markerId})`,
        x1: (x1 + (x2 - x1) * a).toFixed(1), y1: (y1 + (y2 - y1) * a).toFixed(1),
        x2: (x2 - (x2 - x1) * b).toFixed(1), y2: (y2 - (y2 - y1) * b).toFixed(1),
      }, svg("title", {}, words)));
    }
    links.replaceChildren(...frag);
    hint.textContent = writable ? t("map.drag_hint") : "";
    hint.hidden = !writable;
  }

  // --- dragging ------------------------------------------------------------------------------------

  function toMap(event) {
    const point = drawing.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const p = point.matrixTransform(drawing.getScreenCTM().inverse());
    const limit = (v) => Math.max(-1.5, Math.min(1.5, v / SCALE));
    return { x: limit(p.x), y: limit(p.y) };
  }

  function sendFrame(done = false) {
    if (!dragging) return;
    clearTimeout(dragging.timer);
    dragging.timer = null;
    dragging.lastSent = performance.now();
    ctx.socket.volatile("map_node_drag", { project_id: projectId, node_id: dragging.nodeId, x: dragging.pos.x, y: dragging.pos.y, done });
  }

  function startDrag(event, nodeId, g) {
    const state = ctx.store.state;
    const node = shownMap(state, projectId)?.nodes.get(nodeId);
    const project = state.projects.get(projectId);
    if (!node || !movable(node) || !mappingOpen(state) || !canChange(state, project, node.added_by) || event.button !== 0) return;
    event.preventDefault();
    g.setPointerCapture(event.pointerId);
    dragging = { nodeId, pointerId: event.pointerId, pos: { x: node.x, y: node.y }, lastSent: 0, timer: null, moved: false };
    g.classList.add("dragging");
  }

  function moveDrag(event) {
    if (!dragging || event.pointerId !== dragging.pointerId) return;
    const point = toMap(event);
    dragging.pos = clampToMap(point.x, point.y);
    dragging.moved = true;
    draw();
    // Throttle: at most one frame per DRAG_FRAME_MS, and the latest position always goes out.
    const wait = DRAG_FRAME_MS - (performance.now() - dragging.lastSent);
    if (wait <= 0) sendFrame();
    else if (!dragging.timer) dragging.timer = setTimeout(() => sendFrame(), wait);
  }

  async function endDrag(event, cancelled) {
    if (!dragging || event.pointerId !== dragging.pointerId) return;
    const drag = dragging;
    clearTimeout(drag.timer);
    elements.get(drag.nodeId)?.classList.remove("dragging");
    if (cancelled || !drag.moved) {
      if (drag.moved) sendFrame(true);
      dragging = null;
      draw();
      return;
    }
    dragging = null;
    dropped = { nodeId: drag.nodeId, pos: drag.pos };
    draw();
    const ack = await sendMap(ctx, "map_node_move", { project_id: projectId, node_id: drag.nodeId, x: drag.pos.x, y: drag.pos.y });
    if (!ack.ok) {
      // Refused (removed meanwhile, not allowed): the others stop showing the drag, the node goes back.
      ctx.socket.volatile("map_node_drag", { project_id: projectId, node_id: drag.nodeId, x: drag.pos.x, y: drag.pos.y, done: true });
      dropped = null;
    } else if (dropped?.nodeId === drag.nodeId) {
      dropped.seq = ack.seq;
    }
    draw();
  }

  draw();
  ctx.subscribe((state, change) => {
    if (!concerns(change, projectId) && change.kind !== "presence" && change.type !== "show_gates_changed") return;
    const moved = change.frame?.data?.node?.id ?? change.frame?.data?.node_id;
    if (moved !== undefined && change.type !== "map_node_added") endLiveDrag(projectId, moved);
    draw();
  });
  let staleTimer = null;
  const stopLive = onLive((kind) => {
    if (!drawing.isConnected) return stopLive();
    if (kind !== "drag") return;
    draw();
    // A drag whose frames stopped (the person left mid-drag) fades back to the committed position.
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => drawing.isConnected && draw(), 2600);
  });
}
