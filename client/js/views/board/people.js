// Who is here: the live participant list with online/offline presence (in words, not colour only).
// People the facilitator removed leave the list; the facilitator sees them apart, with what removal means.

import { h, syncList } from "../../dom.js";
import { t } from "../../i18n.js";
import { participantsInOrder } from "../../state/board.js";
import { isRemoved } from "../../state/show.js";
import { registerPanel } from "../registry.js";
import { EVENT } from "../../net/events.js";

function mount(container, { subscribe, store }) {
  const heading = h("h2", { id: "people-h" });
  const list = h("ul", { class: "people", "aria-labelledby": "people-h", "data-testid": "people" });
  const removed = h("p", { class: "muted removed-people", "data-testid": "people-removed" });
  container.append(heading, list, removed);
  const render = (state) => {
    const everyone = participantsInOrder(state);
    const people = everyone.filter((p) => !isRemoved(state, p.id));
    heading.textContent = t("board.people", { count: people.length });
    const gone = everyone.filter((p) => isRemoved(state, p.id)).map((p) => p.name);
    removed.hidden = !gone.length || state.me?.role !== "facilitator";
    removed.textContent = gone.length ? t("board.removed", { names: gone.join(", ") }) : "";
    const online = state.online || new Set();
    const item = (p) => {
      const dot = h("span", { class: "presence-dot" });
      const label = h("span", { class: "presence-word muted" });
      const name = h("span", { class: "name" });
      const li = h("li", {}, dot, name, label);
      update(li, p);
      return li;
    };
    const update = (li, p) => {
      const isOnline = online.has(p.id);
      li.querySelector(".presence-dot").dataset.online = String(isOnline);
      li.querySelector(".name").textContent = p.name;
      li.querySelector(".presence-word").textContent = t(isOnline ? "board.online" : "board.offline");
      li.dataset.online = String(isOnline);
    };
    syncList(list, people, (p) => p.id, item, update);
  };
  render(store.state);
  subscribe((state, change) => {
    if (change.kind === "snapshot" || change.kind === "online" || change.type === EVENT.PARTICIPANT_JOINED
        || change.type === EVENT.PARTICIPANT_REMOVED) render(state);
  });
}

registerPanel({ id: "people", area: "side", order: 10, mount });
