// Tribe maps on the client: the map page (#map/<project id>) and the "Tribe map" link on every card.
// capabilities.js imports only this module; it brings the state, the catalogue and the projector's map stage.

import { h, replaceChildren } from "../../dom.js";
import { addCatalogue, t, tIsolated, tPlain } from "../../i18n.js";
import maps from "../../i18n/maps.js";
import {
  PRESENCE_EVERY_MS, announceLooking, installLive, mapOf, onLive, shownMap, stopLooking, viewersOf,
} from "../../state/maps.js";
import { concerns, mappingOpen, viewerName } from "./map_common.js";
import { closedReasonKey } from "../../state/show.js";
import { mountMapEmails } from "./map_emails.js";
import { mountMapList } from "./map_list.js";
import { mountMapMomentum } from "./map_momentum.js";
import { mountMapPlan } from "./map_plan.js";
import { mountMapSvg } from "./map_svg.js";
import "./map_stage.js";
import { registerCardExtension, registerHashView } from "../registry.js";
import { EVENT } from "../../net/events.js";

addCatalogue(maps);

/** Who else looks at this map, from the live presence frames. */
function mountViewers(container, ctx, projectId) {
  const line = h("p", { class: "map-viewers", "data-testid": "map-viewers", role: "status" });
  container.append(line);
  const render = () => {
    const state = ctx.store.state;
    const me = `${state.me?.role === "participant" ? `participant:${state.me.participant_id}` : state.me?.role}`;
    const others = viewersOf(projectId).filter((v) => v.viewer !== me);
    const names = [...new Set(others.map((v) => viewerName(state, v)))];
    line.textContent = names.length ? t("map.here", { names: names.join(", ") }) : t("map.here_nobody");
    line.dataset.count = String(names.length);
  };
  render();
  const stop = onLive((kind) => {
    if (!line.isConnected) return stop();
    if (kind === "viewers") render();
  });
  ctx.subscribe((state, change) => {
    if (change.type === EVENT.PARTICIPANT_JOINED || change.kind === "online") render();
  });
}

/** Keep telling the board this screen is on the map, and say when it leaves. */
function keepPresence(page, ctx, projectId) {
  const socket = ctx.socket;
  const rawSocket = socket.socket;
  const announce = () => announceLooking(socket, projectId, page);
  announce();
  const onConnect = () => page.isConnected && announce();
  rawSocket?.on("connect", onConnect);
  let timer = null;
  // The board redraws this page away on a hash change, a spotlight or a language switch: check soon
  // after any of those, and at every heartbeat, whether the page is still there.
  const check = () => setTimeout(() => {
    if (page.isConnected) return;
    clearInterval(timer);
    rawSocket?.off("connect", onConnect);
    window.removeEventListener("hashchange", check);
    window.removeEventListener("popstate", check);
    stopLooking(socket, page);
  }, 0);
  timer = setInterval(() => (page.isConnected ? announce() : check()), PRESENCE_EVERY_MS);
  window.addEventListener("hashchange", check);
  window.addEventListener("popstate", check);
}

function mountMapPage(container, ctx, match) {
  const projectId = Number(match[1]);
  const state = ctx.store.state;
  const project = state.projects.get(projectId);
  const back = h("a", { href: "#", class: "map-back" }, `← ${t("map.back")}`);
  if (!project || !mapOf(state, projectId)) {
    replaceChildren(container, h("div", { class: "panel" }, back, h("p", { class: "empty" }, t("map.gone"))));
    return;
  }
  installLive(ctx.socket);
  const title = h("h2", { id: `map-${projectId}-title`, class: "map-title" });
  const notice = h("p", { class: "map-notice", role: "status" });
  const header = h("div", { class: "map-header" }, back, title, h("p", { class: "muted" }, t("map.lead")), notice);
  const drawing = h("section", { class: "panel map-drawing", "aria-labelledby": title.id });
  const list = h("section", { class: "panel map-list-panel" });
  const plan = h("section", { class: "panel map-plan-panel" });
  const meter = h("section", { class: "panel map-momentum-panel" });
  const mails = h("section", { class: "panel map-mails-panel" });
  const page = h("div", { class: "map-page", "data-testid": "map-page", "data-project-id": projectId },
    header, h("div", { class: "map-grid" }, drawing, h("div", { class: "map-side" }, meter, list)), plan, mails);
  replaceChildren(container, page);
  mountViewers(header, ctx, projectId);
  mountMapSvg(drawing, ctx, projectId);
  mountMapList(list, ctx, projectId);
  mountMapMomentum(meter, ctx, projectId);
  mountMapPlan(plan, ctx, projectId);
  mountMapEmails(mails, ctx, projectId);
  keepPresence(page, ctx, projectId);

  const render = () => {
    const now = ctx.store.state;
    const current = now.projects.get(projectId);
    if (!current) {
      replaceChildren(container, h("div", { class: "panel" }, back, h("p", { class: "empty" }, t("map.gone"))));
      return;
    }
    replaceChildren(title, tIsolated("map.title", { title: current.title }));
    document.title = `${tPlain("map.title", { title: current.title })} · Snowball`;
    const role = now.me?.role;
    // The right reason: the facilitator hid the card, the phase closes maps, or the board is locked.
    const closed = closedReasonKey(now, "mapping");
    notice.textContent = role === "projector" ? t("map.readonly") : now.hiddenProjects?.has(projectId) ? t("map.hidden")
      : mappingOpen(now, projectId) || !closed ? "" : t(closed);
    notice.hidden = !notice.textContent;
  };
  render();
  ctx.subscribe((now, change) => {
    if (concerns(change, projectId) || change.type?.startsWith("show_")) render();
  });
}

registerHashView({ pattern: /^#map\/(\d+)$/, mount: mountMapPage });

// --- the link on every story card ------------------------------------------------------------------

function cardCreate(ctx, project) {
  const link = h("a", { class: "button map-open", "data-testid": "map-open" });
  const summary = h("span", { class: "muted map-card-summary" });
  const el = h("div", { class: "map-card" }, link, summary);
  cardUpdate(el, ctx, project);
  return el;
}

function cardUpdate(el, ctx, project) {
  const [link, summary] = el.children;
  link.href = `#map/${project.id}`;
  link.textContent = t("map.open");
  link.setAttribute("aria-label", t("map.open_label", { title: project.title }));
  const map = shownMap(ctx.store.state, project.id);
  summary.textContent = map && (map.nodes.size || map.plan.size)
    ? t("map.card_summary", { nodes: map.nodes.size, items: map.plan.size }) : "";
}

registerCardExtension({ id: "map", create: cardCreate, update: cardUpdate });
