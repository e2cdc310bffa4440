// Exports: the facilitator downloads the session summary in every format (and anyone's booklet);
// a participant downloads their own booklet. The projector has no such panel (it exports nothing).

import { h, replaceChildren } from "../../dom.js";
import { addCatalogue, errorText, t } from "../../i18n.js";
import catalogue from "../../i18n/exports.js";
import { downloadExport } from "../../net/downloads.js";
import { participantsInOrder } from "../../state/board.js";
import { registerPanel } from "../registry.js";
import { EVENT } from "../../net/events.js";

addCatalogue(catalogue);

const SUMMARY = [
  { file: "summary.md", label: "exports.md" },
  { file: "summary.html", label: "exports.html" },
  { file: "summary.pdf", label: "exports.pdf" },
  { file: "tables.zip", label: "exports.csv" },
  { file: "archive.json", label: "exports.json" },
];
// Short format names inside "Booklet (…)": no "Booklet (Printable page (HTML))".
const BOOKLET = [
  { ext: "pdf", label: "exports.short.pdf" },
  { ext: "html", label: "exports.short.html" },
  { ext: "md", label: "exports.short.md" },
];

/** A download button: busy while the file is prepared, the outcome said in the status line. */
function downloadButton(ctx, status, text, attrs, file, query) {
  const button = h("button", { type: "button", ...attrs }, text);
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = t("exports.working", { name: file });
    const outcome = await downloadExport(ctx.code, ctx.identity.token, file, query());
    button.disabled = false;
    status.textContent = outcome.ok ? t("exports.done", { name: outcome.name }) : errorText(outcome.error);
    status.dataset.kind = outcome.ok ? "ok" : "error";
  });
  return button;
}

function mountFacilitator(container, ctx) {
  const status = h("p", { class: "muted export-status", role: "status", "data-testid": "export-status" });
  const hidden = h("input", { type: "checkbox", id: "export-include-hidden", "data-testid": "export-include-hidden" });
  const summaryQuery = () => ({ include_hidden: hidden.checked ? "1" : undefined });
  const summary = h("div", { class: "actions" },
    SUMMARY.map(({ file, label }) => downloadButton(ctx, status, t(label),
      { "data-testid": `export-${file.replace(".", "-")}` }, file, summaryQuery)));
  const who = h("select", { id: "export-booklet-of", "data-testid": "export-booklet-of" });
  // The buttons act on the person chosen above: the group is named by that choice's label.
  const bookletButtons = h("div", { class: "actions", role: "group", "aria-labelledby": "export-booklet-of-label" });
  const empty = h("p", { class: "muted" }, t("exports.no_people"));

  const renderPeople = () => {
    const people = participantsInOrder(ctx.store.state);
    const chosen = who.value;
    replaceChildren(who, people.map((p) => h("option", { value: String(p.id) }, p.name)));
    if (chosen && people.some((p) => String(p.id) === chosen)) who.value = chosen;
    empty.hidden = people.length > 0;
    who.disabled = bookletButtons.inert = people.length === 0;
    replaceChildren(bookletButtons, BOOKLET.map(({ ext, label }) => downloadButton(ctx, status,
      t("exports.booklet_button", { format: t(label) }), { "data-testid": `export-booklet-${ext}` },
      `booklet.${ext}`, () => ({ participant: who.value }))));
  };
  who.addEventListener("change", renderPeople);

  container.append(
    h("h2", { id: "exports-h" }, t("exports.title")),
    h("p", { class: "muted" }, t("exports.lead")),
    h("h3", {}, t("exports.summary")),
    summary,
    h("div", { class: "check export-include-hidden" }, hidden, h("label", { for: "export-include-hidden" }, t("exports.include_hidden"))),
    h("h3", {}, t("exports.booklets")),
    empty,
    h("div", { class: "field" }, h("label", { for: "export-booklet-of", id: "export-booklet-of-label" }, t("exports.booklet_of")), who),
    bookletButtons,
    status,
  );
  container.setAttribute("aria-labelledby", "exports-h");
  renderPeople();
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type === EVENT.PARTICIPANT_JOINED || change.type === EVENT.PARTICIPANT_REMOVED) renderPeople();
  });
}

function mountParticipant(container, ctx) {
  const status = h("p", { class: "muted export-status", role: "status", "data-testid": "export-status" });
  container.append(
    h("h2", { id: "my-booklet-h" }, t("exports.mine.title")),
    h("p", { class: "muted" }, t("exports.mine.lead")),
    h("div", { class: "actions" }, BOOKLET.map(({ ext, label }) => downloadButton(ctx, status,
      t("exports.mine.download", { format: t(label) }), { "data-testid": `my-booklet-${ext}` }, `booklet.${ext}`, () => ({})))),
    status,
  );
  container.setAttribute("aria-labelledby", "my-booklet-h");
}

function mount(container, ctx) {
  const role = ctx.store.state.me?.role || ctx.role;
  if (role === "facilitator") mountFacilitator(container, ctx);
  else if (role === "participant") mountParticipant(container, ctx);
}

registerPanel({ id: "exports", area: "side", order: 60, roles: ["facilitator", "participant"], mount });
