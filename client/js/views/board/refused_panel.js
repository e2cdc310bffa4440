// Changes the server refused after they waited offline: shown with the reason, never dropped silently.

import { h, syncList } from "../../dom.js";
import { t, tIsolated, errorText } from "../../i18n.js";
import { registerPanel } from "../registry.js";

/**
 * A person-readable line for a command: "Post “Title”", "Place a dot on “Title”", "Move “Maman”", or
 * the command's name. Names come from what the command kept when it was made (its `meta`).
 */
function describe(command) {
  const meta = command.meta || {};
  const title = meta.title ?? command.payload?.project?.title ?? "";
  const label = meta.label ?? command.payload?.label ?? "";
  const key = `pending.command.${command.type}`;
  return t(key) === key ? command.type.replaceAll("_", " ") : tIsolated(key, { title, label });
}

function mount(container, ctx) {
  const heading = h("h2", { id: "refused-h" }, t("pending.refused.title"));
  const list = h("ul", { class: "refused-list", "aria-labelledby": "refused-h" });
  const box = h("div", { class: "panel refused", role: "alert", "data-testid": "refused" }, heading, list);
  container.append(box);
  const render = (state) => {
    const refused = state.refused || [];
    box.hidden = refused.length === 0;
    syncList(list, refused, (r) => r.command.op_id,
      (r) => {
        const dismiss = h("button", { type: "button" }, t("pending.refused.dismiss"));
        dismiss.addEventListener("click", () => ctx.socket.dismissRefused(r.command.op_id));
        return h("li", { "data-testid": "refused-item", "data-type": r.command.type }, h("strong", {}, describe(r.command)), " — ", errorText(r.error), " ", dismiss);
      },
      () => {});
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "refused" || change.kind === "snapshot") render(state);
  });
}

// Just under the console (facilitator) or the spotlight (participant), both order 1.
registerPanel({ id: "refused", area: "main", order: 2, everywhere: true, mount });
