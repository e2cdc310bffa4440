// Spotlight and follow: a participant who follows the facilitator sees the spotlighted card on top
// of the board, or is taken to the spotlighted tribe map (#map/<id>); they can step out and back.

import { h, replaceChildren } from "../../dom.js";
import { t, tIsolated, formatAmount } from "../../i18n.js";
import { forgetIdentity } from "../../identity.js";
import { nameOf } from "../../state/board.js";
import { isRemoved } from "../../state/show.js";
import { registerPanel } from "../registry.js";
import { EVENT } from "../../net/events.js";

const followKey = (code) => `snowball:${code}:follow`;
let followedHash = null; // the #map/<id> this page went to because of the spotlight

/** The hash of a tribe map (the map view honours it). */
export function mapHash(projectId) {
  return `#map/${projectId}`;
}

export function isFollowing(ctx) {
  return localStorage.getItem(followKey(ctx.code)) !== "off";
}

function setFollowing(ctx, on) {
  localStorage.setItem(followKey(ctx.code), on ? "on" : "off");
}

/** Take a following participant where the spotlight is; a person who left a spotlighted map stepped out. */
export function applyFollow(ctx) {
  const state = ctx.store.state;
  if (state.me?.role !== "participant" || !isFollowing(ctx)) return;
  const spot = state.spotlight;
  if (spot?.view === "map" && state.projects.has(spot.project_id)) {
    const target = mapHash(spot.project_id);
    if (location.hash === target) {
      followedHash = target;
    } else if (followedHash === target) {
      setFollowing(ctx, false); // they navigated away from the map we took them to
      followedHash = null;
    } else {
      followedHash = target;
      location.hash = target;
    }
    return;
  }
  if (followedHash && location.hash === followedHash) {
    followedHash = null;
    location.hash = "";
  }
}

/** "You follow the facilitator [Step out]" / "You stepped out [Follow the facilitator again]". */
export function followControls(ctx) {
  const box = h("div", { class: "follow", "data-testid": "follow" });
  const render = () => {
    const on = isFollowing(ctx);
    const button = h("button", { type: "button", "aria-pressed": String(on) }, t(on ? "show.follow.stop" : "show.follow.back"));
    button.addEventListener("click", () => {
      setFollowing(ctx, !on);
      followedHash = on ? null : followedHash;
      render();
      applyFollow(ctx);
      ctx.rerender();
    });
    box.dataset.following = String(on);
    replaceChildren(box, h("p", {}, t(on ? "show.following" : "show.stepped_out")), button);
  };
  render();
  return box;
}

/** A removed participant's screen says so, and this device forgets the identity. */
export function watchRemoval(ctx) {
  const check = (state) => {
    if (state.me?.role !== "participant" || !isRemoved(state, state.me.participant_id)) return false;
    forgetIdentity(ctx.code, "participant");
    ctx.socket.socket?.disconnect();
    const app = document.getElementById("app");
    replaceChildren(app, h("main", { id: "main", class: "page" },
      h("p", { class: "panel removed", role: "alert", "data-testid": "removed" }, t("show.removed"))));
    return true;
  };
  if (check(ctx.store.state)) return;
  ctx.subscribe((state, change) => {
    if (change.type === EVENT.PARTICIPANT_REMOVED) check(state);
  });
}

/** The spotlighted card, large (used by the participant's board and the projector). */
export function spotlightCard(state, project, { headingLevel = "h3" } = {}) {
  const facts = [h("span", {}, tIsolated("project.by", { name: nameOf(state, project.author_id) }))];
  if (project.category) facts.push(h("span", { dir: "auto" }, project.category));
  if (project.goal_amount !== null && project.goal_amount !== undefined) {
    facts.push(h("span", {}, t("project.goal", { amount: formatAmount(project.goal_amount, project.currency) })));
  }
  return h("article", { class: "spotlight-card", "data-testid": "spotlight-card" },
    h(headingLevel, { dir: "auto" }, project.title),
    h("p", { class: "pitch", dir: "auto" }, project.pitch),
    project.story ? h("p", { class: "story", dir: "auto" }, project.story) : null,
    h("p", { class: "meta" }, facts));
}

function mountSpotlight(container, ctx) {
  const render = (state) => {
    const spot = state.spotlight;
    const project = spot && state.projects.get(spot.project_id);
    const show = Boolean(project && spot.view === "card" && isFollowing(ctx));
    container.hidden = !show;
    if (!show) return replaceChildren(container);
    replaceChildren(container, h("section", { class: "panel spotlight-panel", "aria-labelledby": "spotlight-h" },
      h("h2", { id: "spotlight-h" }, t("show.spotlight.heading")), spotlightCard(state, project)));
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type === EVENT.SPOTLIGHT_CHANGED || change.type?.startsWith("project_")) render(state);
  });
}

registerPanel({ id: "spotlight", area: "main", order: 1, roles: ["participant"], mount: mountSpotlight });
