// What the projector's stage shows: join (QR, code, N joined), the values, the live wall, the vote
// (progress, then the ranking), the spotlighted card or map, the thanks. Each stage is
// {key, mount(container) -> update(state)}; the same key keeps its DOM (no jumps when cards arrive).

import { publicBase } from "../page_config.js";
import { h, replaceChildren, syncList } from "../dom.js";
import { t } from "../i18n.js";
import { nameOf, projectsInOrder } from "../state/board.js";
import { currentPhase } from "../state/show.js";
import { currentRound, revealedRounds } from "../state/votes.js";
import { spotlightCard } from "./spotlight.js";

const WALL_MAX = 12;
const RANKING_MAX = 8;
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

function wallStage(key = "wall") {
  return {
    key,
    mount(container) {
      const empty = h("p", { class: "wall-empty" }, t("show.projector.wall_empty"));
      const wall = h("div", { class: "projector-wall", "data-testid": "projector-wall" });
      const more = h("p", { class: "wall-more" });
      container.append(empty, wall, more);
      return (state) => {
        const projects = visibleProjects(state);
        const shown = projects.slice(-WALL_MAX); // the newest cards: the wall is live
        empty.hidden = projects.length > 0;
        more.hidden = projects.length <= WALL_MAX;
        more.textContent = t("show.projector.more", { count: projects.length - shown.length });
        syncList(wall, shown, (p) => p.id,
          (p) => h("article", { class: "projector-card", "data-testid": "projector-card" },
            h("h2", {}, p.title), h("p", { class: "pitch" }, p.pitch), h("p", { class: "by" }, t("project.by", { name: nameOf(state, p.author_id) }))),
          (el, p) => {
            el.querySelector("h2").textContent = p.title;
            el.querySelector(".pitch").textContent = p.pitch;
            el.querySelector(".by").textContent = t("project.by", { name: nameOf(state, p.author_id) });
          });
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
        const stage = round.state === "closed" ? "vote_closed" : round.state === "open" ? "voting" : "vote_soon";
        title.textContent = t(`show.projector.${stage}`);
        progress.hidden = round.state !== "open";
        const voters = state.participants.size - (state.removedParticipants?.size || 0);
        const done = [...(state.vote?.used || new Map()).values()].filter((n) => n >= round.budget).length;
        progress.textContent = t("show.projector.voters_done", { done, total: voters });
        updateWall(state);
      };
    },
  };
}

function rankingStage(round) {
  return {
    key: `ranking:${round.number}`,
    mount(container) {
      const list = h("ol", { class: "ranking", "data-testid": "ranking" });
      container.append(h("h2", { class: "stage-title" }, t("show.projector.ranking")), list);
      return () => {
        replaceChildren(list, (round.ranking || []).slice(0, RANKING_MAX).map((row) =>
          h("li", { "data-rank": String(row.rank) },
            h("span", { class: "rank" }, String(row.rank)),
            h("span", { class: "title" }, row.title),
            h("span", { class: "dots" }, t("show.projector.dots", { count: row.dots })))));
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
          mountMapSvg(drawing, ctx, projectId);
          drawing.dataset.drawn = "true";
        })
        .catch(() => {
          const project = ctx.store.state.projects.get(projectId);
          if (project && drawing.isConnected) replaceChildren(drawing, spotlightCard(ctx.store.state, project, { headingLevel: "h3" }));
        });
      return (state) => {
        const project = state.projects.get(projectId);
        if (project) title.textContent = t("show.projector.map_missing", { title: project.title });
      };
    },
  };
}

function thanksStage(round) {
  return {
    key: `thanks:${round ? round.number : 0}`,
    mount(container) {
      container.append(h("h2", { class: "stage-title thanks" }, t("show.projector.thanks")));
      if (!round) return () => {};
      const ranking = rankingStage(round);
      return ranking.mount(container);
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
