// The tribe map drawn in SVG: three rings around the project, nodes sized by reach, links as arrows.
// Drag and drop: live positions go out as throttled ephemeral frames, the drop is one committed
// move; others' drags show live. Positions are map units, so the picture is the same on every screen.

import { svg, h } from "../../dom.js";
import { t } from "../../i18n.js";
import {
  RINGS, RING_OUTER, CENTRE_RADIUS, canChange, clampToMap, compareNodeIds, endLiveDrag, liveDrag, onLive, ringOf,
  shownMap,
} from "../../state/maps.js";
import { concerns, mappingOpen, sendMap, viewerName } from "./map_common.js";
import { nodeLabels, ringLabels, titleLines } from "./map_layout.js";
import { COMMAND, EPHEMERAL_EVENT, EVENT } from "../../net/events.js";

const SCALE = 500;            // map units -> SVG units
const DRAG_FRAME_MS = 50;     // at most 20 ephemeral frames per second
const LABEL_MAX = 22;
// Font sizes in SVG units; the layout places words at these sizes, so they are set here, not in CSS.
// The projector's drawing is ~680 px high for 1040 units: 44 units show ≥ 28 px from the back of the room.
// The projector's drawing is wider than the rings, so labels have room beside them.
const SIZES = {
  screen: { label: 26, ring: 22, title: 24, bounds: { x: 520, y: 520 } },
  projector: { label: 44, ring: 44, title: 0, bounds: { x: 900, y: 520 } }, // the stage's heading names the project
};

/** A node's circle radius (SVG units) from its reach: big audiences show bigger, never huge. */
export function nodeRadius(reach) {
  return 14 + 7 * Math.log10(Math.max(0, reach) + 1);
}

function ringLayer() {
  const layer = svg("g", { class: "map-rings", "aria-hidden": "true" });
  for (const ring of [...RINGS].reverse()) {
    layer.append(svg("circle", { class: `map-ring ring-${ring}`, cx: 0, cy: 0, r: RING_OUTER[ring] * SCALE }));
  }
  return layer;
}

/** A word on its plate (a plate, not a stroked halo, as in the exports: one look everywhere). */
function word(className, placed, size, attrs = {}) {
  const { box } = placed;
  return svg("g", { class: className, ...attrs },
    svg("rect", { class: "map-plate", x: box.left.toFixed(1), y: box.top.toFixed(1), width: (box.right - box.left).toFixed(1),
      height: (box.bottom - box.top).toFixed(1), rx: 6 }),
    svg("text", { x: placed.x.toFixed(1), y: placed.baseline.toFixed(1), "text-anchor": "middle", "font-size": size }, placed.text));
}

/** A node not being added or removed right now (offline) can be dragged. */
function movable(node) {
  return node.pending !== "add" && node.pending !== "remove";
}

/** Mount the SVG map of one project into `container` (`{projector: true}`: the room's sizes). */
export function mountMapSvg(container, ctx, projectId, { projector = false } = {}) {
  const sizes = projector ? SIZES.projector : SIZES.screen;
  const markerId = `map-arrow-${projectId}`;
  const centreTitle = svg("text", { class: "map-project-title", "text-anchor": "middle" });
  const links = svg("g", { class: "map-links" });
  const nodes = svg("g", { class: "map-nodes" });
  // The words last, over the links and circles they were placed clear of.
  const words = svg("g", { class: "map-words", "data-testid": "map-words" });
  const title = svg("title", {});
  const drawing = svg("svg", {
    class: "map-svg", viewBox: `${-sizes.bounds.x} ${-sizes.bounds.y} ${2 * sizes.bounds.x} ${2 * sizes.bounds.y}`, role: "img", "data-testid": "map-svg",
    "data-project-id": projectId,
  },
  title,
  svg("defs", {}, svg("marker", { id: markerId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "map-arrow-head" }))),
  ringLayer(),
  svg("circle", { class: "map-project", cx: 0, cy: 0, r: CENTRE_RADIUS * SCALE * 0.9 }),
  centreTitle, links, nodes, words);
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
    const heading = titleLines(project.title, sizes.title || 24);
    centreTitle.setAttribute("font-size", heading.size.toFixed(1));
    centreTitle.style.display = sizes.title ? "" : "none";
    const step = heading.size * 1.15;
    centreTitle.replaceChildren(...(sizes.title ? heading.lines : []).map((line, i) =>
      svg("tspan", { x: 0, y: (-step * (heading.lines.length - 1) / 2 + heading.size * 0.35 + i * step).toFixed(1) }, line)));
    const writable = mappingOpen(state, projectId);

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
      const [titleEl, circle, by] = g.children;
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
      titleEl.textContent = t("map.node.tooltip", { label: node.label, kind: t(`kind.${node.kind}`), reach: Number(node.reach) || 0 })
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
    wordsNextFrame(map, positions);
    hint.textContent = writable ? t("map.drag_hint") : "";
    hint.hidden = !writable;
  }

  // The words are laid out at most once a frame: a drag moves its circle at once, the words follow.
  let wordsFrame = 0;
  let wordsFor = null;
  function wordsNextFrame(map, positions) {
    wordsFor = [map, positions];
    if (!wordsFrame) {
      wordsFrame = requestAnimationFrame(() => {
        wordsFrame = 0;
        drawWords(...wordsFor);
      });
    }
  }

  /** Ring names and node labels where map_layout puts them: clear of each other, the nodes and the edge. */
  function drawWords(map, positions) {
    const placedNodes = [...map.nodes.values()].sort((a, b) => compareNodeIds(a.id, b.id)).map((node) => {
      const pos = positions.get(node.id);
      return { id: node.id, x: pos.x * SCALE, y: pos.y * SCALE, r: nodeRadius(node.reach), label: node.label, reach: node.reach, node };
    });
    const names = Object.fromEntries(RINGS.map((ring) => [ring, t(`ring.${ring}`).toLocaleUpperCase()]));
    const rings = ringLabels(names, sizes.ring, placedNodes.map((n) => [n.x, n.y, n.r]), sizes.bounds);
    const labels = nodeLabels(placedNodes, sizes.label, LABEL_MAX, Object.values(rings).map((w) => w.box), sizes.bounds);
    const out = RINGS.filter((ring) => rings[ring]).map((ring) =>
      word(`map-ring-label ring-${ring}`, rings[ring], sizes.ring, { "aria-hidden": "true", "data-testid": "map-ring-label" }));
    for (const n of placedNodes) {
      const placed = labels.get(n.id);
      const g = elements.get(n.id);
      if (g) g.dataset.labelled = String(Boolean(placed));
      if (!placed) continue;
      out.push(word(`map-node-label${n.node.pending ? " pending" : ""}`, placed, sizes.label, {
        "aria-hidden": "true", "data-testid": "map-node-label", "data-node-id": String(n.id),
        ...(n.node.pending ? { "data-pending": n.node.pending } : {}),
      }));
    }
    words.replaceChildren(...out);
    // How many nodes the words were laid out for: tests (and people inspecting) know they are current.
    drawing.dataset.words = String(placedNodes.length);
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
    ctx.socket.volatile(EPHEMERAL_EVENT.MAP_NODE_DRAG, { project_id: projectId, node_id: dragging.nodeId, x: dragging.pos.x, y: dragging.pos.y, done });
  }

  function startDrag(event, nodeId, g) {
    const state = ctx.store.state;
    const node = shownMap(state, projectId)?.nodes.get(nodeId);
    const project = state.projects.get(projectId);
    if (!node || !movable(node) || !mappingOpen(state, projectId) || !canChange(state, project, node.added_by) || event.button !== 0) return;
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
    const ack = await sendMap(ctx, COMMAND.MAP_NODE_MOVE, { project_id: projectId, node_id: drag.nodeId, x: drag.pos.x, y: drag.pos.y });
    if (!ack.ok) {
      // Refused (removed meanwhile, not allowed): the others stop showing the drag, the node goes back.
      ctx.socket.volatile(EPHEMERAL_EVENT.MAP_NODE_DRAG, { project_id: projectId, node_id: drag.nodeId, x: drag.pos.x, y: drag.pos.y, done: true });
      dropped = null;
    } else if (dropped?.nodeId === drag.nodeId) {
      dropped.seq = ack.seq;
    }
    draw();
  }

  draw();
  ctx.subscribe((state, change) => {
    if (!concerns(change, projectId) && change.kind !== "online" && change.type !== EVENT.SHOW_GATES_CHANGED) return;
    const moved = change.frame?.data?.node?.id ?? change.frame?.data?.node_id;
    if (moved !== undefined && change.type !== EVENT.MAP_NODE_ADDED) endLiveDrag(projectId, moved);
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
