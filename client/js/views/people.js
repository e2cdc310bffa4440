// Who is here: the live participant list with online/offline presence.

import { h, syncList } from "../dom.js";
import { t } from "../i18n.js";
import { participantsInOrder } from "../state/board.js";
import { registerPanel } from "./registry.js";

function mount(container, { subscribe, store }) {
  const heading = h("h2", { id: "people-h" });
  const list = h("ul", { class: "people", "aria-labelledby": "people-h", "data-testid": "people" });
  container.append(heading, list);
  const render = (state) => {
    const people = participantsInOrder(state);
    heading.textContent = t("board.people", { count: people.length });
    const online = state.online || new Set();
    const item = (p) => {
      const dot = h("span", { class: "presence" });
      const label = h("span", { class: "visually-hidden" });
      const name = h("span", { class: "name" });
      const li = h("li", {}, dot, name, label);
      update(li, p);
      return li;
    };
    const update = (li, p) => {
      const isOnline = online.has(p.id);
      li.querySelector(".presence").dataset.online = String(isOnline);
      li.querySelector(".name").textContent = p.name;
      li.querySelector(".visually-hidden").textContent = ` (${t(isOnline ? "board.online" : "board.offline")})`;
      li.dataset.online = String(isOnline);
    };
    syncList(list, people, (p) => p.id, item, update);
  };
  render(store.state);
  subscribe((state, change) => {
    if (change.kind === "snapshot" || change.kind === "presence" || change.type === "participant_joined") render(state);
  });
}

registerPanel({ id: "people", area: "side", order: 10, mount });
