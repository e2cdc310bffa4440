// The facilitator's preview "as a participant sees it" (#as-participant): the participant's panels,
// drawn from the same live state seen as a participant without cards of their own; nothing is sent.

import { h } from "../../dom.js";
import { t } from "../../i18n.js";
import { panelsFor, registerHashView } from "../registry.js";

function asParticipant(state) {
  const projects = new Map([...state.projects].filter(([id]) => !state.hiddenProjects?.has(id)));
  return { ...state, me: { role: "participant", participant_id: null }, projects };
}

const refused = async () => ({ ok: false, error: { code: "preview", message: "preview" } });

function previewContext(ctx) {
  return {
    ...ctx,
    preview: true,
    role: "participant",
    store: { get state() { return asParticipant(ctx.store.state); }, subscribe: (fn) => ctx.store.subscribe((s, c) => fn(asParticipant(s), c)) },
    subscribe: (fn) => ctx.subscribe((state, change) => fn(asParticipant(state), change)),
    socket: { ...ctx.socket, socket: ctx.socket.socket, send: refused, request: (...args) => ctx.socket.request(...args), on: (...args) => ctx.socket.on(...args), volatile() {}, declare() {} },
  };
}

registerHashView({
  pattern: /^#as-participant$/,
  mount(container, ctx) {
    if (ctx.store.state.me?.role !== "facilitator") return;
    const preview = previewContext(ctx);
    const frame = h("div", { class: "participant-preview", "data-testid": "participant-preview" });
    container.append(h("p", { class: "preview-banner", role: "note" }, t("show.preview.banner"), " ",
      h("a", { href: "#", class: "button" }, t("show.preview.back"))), frame);
    for (const panel of panelsFor("main", "participant")) {
      const slot = h("section", { class: `panel-slot panel-${panel.id}` });
      frame.append(slot);
      panel.mount(slot, preview);
    }
  },
});
