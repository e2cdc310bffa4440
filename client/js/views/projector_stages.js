// What the projector's stage shows: join (QR, code, N joined), the values, the live wall, the vote
// (progress, then the ranking), the spotlighted card or map, the thanks. Each stage is
// {key, mount(container) -> update(state)}; the same key keeps its DOM (no jumps when cards arrive).

import { publicBase } from "../page_config.js";
import { h, replaceChildren, syncList } from "../dom.js";
import { t, tIsolated } from "../i18n.js";
import { nameOf, projectsInOrder } from "../state/board.js";
import { currentPhase } from "../state/show.js";
import { currentRound, revealedRounds, whoIsDone } from "../state/votes.js";
import { spotlightCard } from "./spotlight.js";

const WALL_COLUMNS = 4;
const RANKING_COLUMNS = 2;
const RANKING_ROW = 84;   // px: a ranking row (44-px text, padding), as projector.css draws it
const TOP_PINNED = 3;     // the podium stays on every page of a long ranking
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
function pager(container, pagerLine, { fit, draw }) {
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
function roomBelow(el) {
  const stage = el.closest(".projector-stage");
  const padding = parseFloat(getComputedStyle(stage).paddingBottom) || 0;
  return stage.offsetTop + stage.clientHeight - padding - el.offsetTop;
}

function wallStage(key = "wall") {
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

function votingStage() {
  const wall = wallStage("voting");
  return {
    key: "voting",
    mount(container) {
      const progress = h("p", { class: "projector-vote-progress", "data-testid": "vote-progress" });
      const title = h("h2", { class: "stage-title", "data-testid": "vote-stage-title" });
      container.append(title, progress);
      const updateWall = wall.mount(container);
      return (state) => {
        const round = currentRound(state);
        // The room reads the vote's real state: not open yet, in progress, or closed with results to come.
        title.textContent = t(round.state === "closed" ? "show.projector.vote_closed"
          : round.state === "open" ? "show.projector.voting" : "show.projector.vote_soon");
        progress.hidden = round.state !== "open";
        // The same count as the facilitator's: people removed from the board are no longer voters.
        const { voters, done } = state.vote ? whoIsDone(state) : { voters: 0, done: 0 };
        progress.textContent = t("show.projector.voters_done", { done, total: voters });
        updateWall(state);
      };
    },
  };
}

function rankingRow(row, index) {
  return h("li", { "data-rank": String(row.rank), "data-testid": "ranking-row", class: index < TOP_PINNED ? "top" : "" },
    h("span", { class: "rank" }, String(row.rank)),
    h("span", { class: "title", dir: "auto" }, row.title),
    h("span", { class: "dots" }, t("show.projector.dots", { count: row.dots })));
}

/** The ranking in columns that fit the stage; a long one turns its pages, the top three on every page. */
function rankingStage(round, key = `ranking:${round.number}`, heading = t("show.projector.ranking")) {
  return {
    key,
    mount(container) {
      const pages = h("p", { class: "stage-pager", "data-testid": "ranking-pager", hidden: true });
      const list = h("ol", { class: "ranking", "data-testid": "ranking" });
      container.append(h("div", { class: "stage-head" }, h("h2", { class: "stage-title" }, heading), pages), list);
      let top = [];
      const turn = pager(list, pages, {
        fit: () => {
          const style = getComputedStyle(list);
          const gap = parseFloat(style.rowGap) || 16;
          const perColumn = Math.max(1, Math.floor((roomBelow(list) + gap) / (RANKING_ROW + gap)));
          return Math.max(1, perColumn * RANKING_COLUMNS - top.length);
        },
        draw: (shown, size) => {
          const perColumn = Math.ceil((size + top.length) / RANKING_COLUMNS);
          list.style.setProperty("--rows", String(Math.max(1, perColumn)));
          replaceChildren(list, [...top, ...shown].map((row, index) => rankingRow(row, index)));
        },
      });
      return (state) => {
        // The round as it is now: a card hidden since the reveal leaves it live (the stage stays).
        const live = state?.vote?.rounds.find((r) => r.number === round.number) || round;
        // The room's ranking only: a facilitator's preview drops the hidden cards it still sees.
        const rows = (live.ranking || []).filter((row) => !row.hidden);
        top = rows.filter((row) => row.rank <= TOP_PINNED).slice(0, TOP_PINNED);
        turn(rows.slice(top.length));
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

function spotlightMapStage(projectId, ctx) {
  return {
    key: `map:${projectId}`,
    mount(container) {
      const title = h("h2", { class: "stage-title" });
      const drawing = h("div", { class: "projector-map-drawing", "data-testid": "projector-map" });
      container.append(title, drawing);
      // The tribe map's drawing, as the map page draws it (the map page itself has editors the room
      // does not need). Loaded softly: without the maps module the card stands in for the map.
      Promise.all([import("./map_svg.js"), import("../state/maps.js")])
        .then(([{ mountMapSvg }, { installLive }]) => {
          if (!drawing.isConnected) return;
          installLive?.(ctx.socket);
          mountMapSvg(drawing, ctx, projectId, { projector: true });
          drawing.dataset.drawn = "true";
        })
        .catch(() => {
          const project = ctx.store.state.projects.get(projectId);
          if (project && drawing.isConnected) replaceChildren(drawing, spotlightCard(ctx.store.state, project, { headingLevel: "h3" }));
        });
      return (state) => {
        const project = state.projects.get(projectId);
        if (project) replaceChildren(title, tIsolated("show.projector.map_missing", { title: project.title }));
      };
    },
  };
}

function thanksStage(round) {
  if (round) return rankingStage(round, `thanks:${round.number}`, t("show.projector.thanks"));
  return {
    key: "thanks:0",
    mount(container) {
      container.append(h("h2", { class: "stage-title thanks" }, t("show.projector.thanks")));
      return () => {};
    },
  };
}

/** The stage for the board as it is now: the spotlight first, else what the current phase is about. */
export function stageFor(state, ctx) {
  const spot = state.spotlight;
  if (spot && state.projects.has(spot.project_id) && !state.hiddenProjects?.has(spot.project_id)) {
    return spot.view === "map" ? spotlightMapStage(spot.project_id, ctx) : spotlightCardStage(spot.project_id);
  }
  const status = state.show?.status || "idle";
  const kind = currentPhase(state)?.kind;
  const revealed = revealedRounds(state)[0];
  if (status === "idle" || kind === "join") return joinStage(ctx);
  if (status === "ended" || kind === "wrapup") return thanksStage(revealed);
  if (kind === "values") return valuesStage();
  if (kind === "vote") {
    const round = currentRound(state);
    if (round.state === "revealed") return rankingStage(round);
    return votingStage();
  }
  return wallStage();
}
