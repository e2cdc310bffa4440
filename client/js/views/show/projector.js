// The projector (/b/<code>/screen#<secret>): read-only, legible from the back of the room, follows
// the facilitator by itself. Also the participants' and facilitator's preview (#projector).

import { publicBase } from "../../page_config.js";
import { t } from "../../i18n.js";
import { h, replaceChildren } from "../../dom.js";
import { currentPhase } from "../../state/show.js";
import { stageFor } from "./projector_stages.js";
import { phaseLine, timerElement } from "./timer.js";
import { connectionStatus } from "../widgets.js";

function joinUrl(code) {
  return `${publicBase()}/b/${code}`;
}

function footer(ctx) {
  const code = ctx.store.state.board.code;
  const joined = h("span", { class: "joined", "data-testid": "joined" });
  const el = h("footer", { class: "projector-footer" },
    h("span", {}, t("show.projector.join_at"), " ", h("strong", { class: "url" }, joinUrl(code))),
    h("span", {}, t("show.projector.code"), " ", h("strong", { class: "code" }, code)),
    joined, connectionStatus(ctx));
  const render = (state) => {
    joined.textContent = t("show.projector.joined", { count: state.participants.size - (state.removedParticipants?.size || 0) });
  };
  return { el, render };
}

/** A preview shows the 1920×1080 screen scaled down to this window, as the room will see it. */
function fitPreview(frame) {
  frame.classList.add("projector-scaled");
  const fit = () => {
    if (!frame.isConnected) return window.removeEventListener("resize", fit);
    frame.style.setProperty("--scale", String(Math.min(window.innerWidth / 1920, window.innerHeight / 1080)));
  };
  window.addEventListener("resize", fit);
  fit();
}

/** Mount the projector page into `root` (ctx.role "projector", or a preview from another role). */
export function mountProjector(root, ctx) {
  const preview = ctx.store.state.me?.role !== "projector";
  const phase = h("h1", { class: "projector-phase", "data-testid": "projector-phase" });
  const title = h("p", { class: "projector-title" }, ctx.store.state.board.title);
  const stage = h("main", { id: "main", class: "projector-stage", "data-testid": "projector-stage" });
  const foot = footer(ctx);
  const frame = h("div", { class: "projector", "data-testid": "projector" },
    preview ? h("p", { class: "projector-preview-bar" }, t("show.preview.screen_banner"), " ",
      h("a", { href: "#", class: "button" }, t("show.preview.back"))) : null,
    h("header", { class: "projector-header" }, h("div", {}, title, phase),
      timerElement(ctx, { testId: "projector-timer", className: "timer-projector" })),
    stage, foot.el);
  replaceChildren(root, frame);
  if (preview) fitPreview(frame);

  let current = null; // {key, update, subscribes}
  const render = (state) => {
    phase.textContent = currentPhase(state)?.title || phaseLine(state);
    foot.render(state);
    const next = stageFor(state, ctx);
    if (current && current.key === next.key) {
      current.update(state);
      return;
    }
    if (current?.subscribes) {
      ctx.rerender(); // the stage subscribed through ctx (a map's drawing): a redraw releases it cleanly
      return;
    }
    stage.dataset.stage = next.key.split(":")[0];
    replaceChildren(stage);
    current = { key: next.key, update: next.mount(stage), subscribes: Boolean(next.subscribes) };
    current.update(state);
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "event" || change.kind === "snapshot" || change.kind === "online") render(state);
  });
}
