// What the projector's stage shows, and which stage when: join (QR, code, N joined), the values, the
// live wall, the spotlighted card (the vote's stages are in votes/vote_stages.js, the spotlighted map
// in maps/map_stage.js). Each stage is {key, mount(container) -> update(state)}; the same key keeps
// its DOM (no jumps when cards arrive). A stage registered with `subscribes` listens through ctx:
// the projector leaves it with a redraw, which releases it.

import { publicBase } from "../../page_config.js";
import { h, replaceChildren, syncList } from "../../dom.js";
import { t, tIsolated } from "../../i18n.js";
import { nameOf, projectsInOrder } from "../../state/board.js";
import { currentPhase } from "../../state/show.js";
import { makeStage, registerStage } from "../registry.js";
import { spotlightCard } from "./spotlight.js";

const WALL_COLUMNS = 4;
const PAGE_MS = 10_000;   // a page of the wall or the ranking stays this long: time to read it from the back
const VALUES = {
  en: ["Transparency", "Sharing", "Honesty", "Coherence", "Sincerity", "Respect", "Trust"],
  fr: ["Transparence", "Partage", "Honnêteté", "Cohérence", "Sincérité", "Respect", "Confiance"],
};

function visibleProjects(state) {
  return projectsInOrder(state).filter((p) => !state.hiddenProjects?.has(p.id));
}

function joinStage(ctx) {
  const code = ctx.store.state.board.code;
  return {
    key: "join",
    mount(container) {
      const count = h("p", { class: "join-count", "data-testid": "join-count", "aria-live": "polite" });
      container.append(h("div", { class: "join" },
        h("figure", { class: "qr" },
          h("img", { src: `/b/${encodeURIComponent(code)}/qr.svg`, alt: t("show.projector.scan"), width: 480, height: 480, "data-testid": "join-qr" }),
          h("figcaption", {}, t("show.projector.scan"))),
        h("div", { class: "join-text" },
          h("p", { class: "join-at" }, t("show.projector.join_at")),
          h("p", { class: "join-url", "data-testid": "join-url" }, `${publicBase()}/b/${code}`),
          h("p", { class: "join-code-label" }, t("show.projector.code")),
          h("p", { class: "join-code code", "data-testid": "join-code" }, code),
          count)));
      return (state) => {
        count.textContent = t("show.projector.joined", { count: state.participants.size - (state.removedParticipants?.size || 0) });
      };
    },
  };
}

function valuesStage() {
  return {
    key: "values",
    mount(container) {
      const lang = document.documentElement.lang === "fr" ? "fr" : "en";
      container.append(h("ul", { class: "values" }, VALUES[lang].map((v) => h("li", {}, v))));
      return () => {};
    },
  };
}

/**
 * Pages that fit the stage, turned at a readable pace: `fit()` says how many items one page holds (from the
 * room left under what is above), `draw(items)` shows one page. Every item is shown in turn; none is cut.
 */
export function pager(container, pagerLine, { fit, draw }) {
  let page = 0;
  let items = [];
  let timer = null;
  const show = () => {
    const size = Math.max(1, fit());
    const pages = Math.max(1, Math.ceil(items.length / size));
    page %= pages;
    pagerLine.hidden = pages < 2;
    pagerLine.textContent = t("show.projector.page", { page: page + 1, pages });
    container.dataset.page = String(page + 1);
    container.dataset.pages = String(pages);
    container.dataset.perPage = String(size);
    draw(items.slice(page * size, (page + 1) * size), size);
    // One clock per stage: updates (a card posted, someone joining) redraw the page without resetting it.
    if (pages > 1 && !timer) {
      timer = setInterval(() => {
        if (!container.isConnected) {
          clearInterval(timer);
          return;
        }
        page += 1;
        show();
      }, PAGE_MS);
    } else if (pages < 2 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
  // The projector's window resized (full screen at last): pages made for the new size at once.
  const resized = () => (container.isConnected ? show() : window.removeEventListener("resize", resized));
  window.addEventListener("resize", resized);
  return (next) => {
    items = next;
    show();
  };
}

/** How much height is left in the stage below `el`'s top (layout pixels, unaffected by a preview's scaling). */
export function roomBelow(el) {
  const stage = el.closest(".projector-stage");
  const padding = parseFloat(getComputedStyle(stage).paddingBottom) || 0;
  return stage.offsetTop + stage.clientHeight - padding - el.offsetTop;
}

/** The live wall of visible cards, in pages that fit the stage (also under the vote's progress). */
export function wallStage(key = "wall") {
  return {
    key,
    mount(container) {
      const empty = h("p", { class: "wall-empty" }, t("show.projector.wall_empty"));
      const pages = h("p", { class: "stage-pager", "data-testid": "wall-pager", hidden: true });
      const wall = h("div", { class: "projector-wall", "data-testid": "projector-wall" });
      container.append(empty, pages, wall);
      let state = null;
      const card = (p) => h("article", { class: "projector-card", "data-testid": "projector-card" },
        h("h2", { dir: "auto" }), h("p", { class: "pitch", dir: "auto" }), h("p", { class: "by" }, tIsolated("project.by", { name: nameOf(state, p.author_id) })));
      const fill = (el, p) => {
        el.querySelector("h2").textContent = p.title;
        el.querySelector(".pitch").textContent = p.pitch;
        el.querySelector(".by bdi").textContent = nameOf(state, p.author_id);
      };
      const turn = pager(wall, pages, {
        fit: () => {
          const style = getComputedStyle(wall);
          const row = parseFloat(style.gridAutoRows) || 268;
          const gap = parseFloat(style.rowGap) || 24;
          const rows = Math.max(1, Math.floor((roomBelow(wall) + gap) / (row + gap)));
          return rows * WALL_COLUMNS;
        },
        draw: (shown) => syncList(wall, shown, (p) => p.id, card, fill),
      });
      return (next) => {
        state = next;
        const projects = visibleProjects(next);
        empty.hidden = projects.length > 0;
        turn(projects);
      };
    },
  };
}

function spotlightCardStage(projectId) {
  return {
    key: `card:${projectId}`,
    mount(container) {
      return (state) => {
        const project = state.projects.get(projectId);
        if (project) replaceChildren(container, spotlightCard(state, project, { headingLevel: "h2" }));
      };
    },
  };
}

/**
 * The stage for the board as it is now: the spotlight first ("spotlight:<view>"), else the current
 * phase's kind (before the show starts: "join"; once it ended: "wrapup"); stages are registered by name.
 */
export function stageFor(state, ctx) {
  const spot = state.spotlight;
  if (spot && state.projects.has(spot.project_id) && !state.hiddenProjects?.has(spot.project_id)) {
    return makeStage(`spotlight:${spot.view}`, state, ctx, spot.project_id);
  }
  const status = state.show?.status || "idle";
  const kind = currentPhase(state)?.kind;
  if (status === "idle" || kind === "join") return makeStage("join", state, ctx);
  if (status === "ended" || kind === "wrapup") return makeStage("wrapup", state, ctx);
  return makeStage(kind || "post", state, ctx);
}

registerStage("join", (state, ctx) => joinStage(ctx));
registerStage("values", () => valuesStage());
// Phases without a stage of their own show the live wall.
for (const kind of ["post", "maps", "custom"]) registerStage(kind, () => wallStage());
registerStage("spotlight:card", (state, ctx, projectId) => spotlightCardStage(projectId));
