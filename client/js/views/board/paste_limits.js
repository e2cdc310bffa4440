// A paste longer than a field's limit: the browser cuts it silently (maxlength), so say so, with the counts,
// beside the field. One listener for every form of every page.

import { h } from "../../dom.js";
import { t } from "../../i18n.js";

/** The note under `field` (made once, announced politely, linked to the field). */
function noteFor(field) {
  const id = `${field.id || field.name || "field"}-paste-note`;
  let note = document.getElementById(id);
  if (!note) {
    note = h("p", { id, class: "paste-note", role: "status", "data-testid": "paste-note" });
    field.insertAdjacentElement("afterend", note);
    const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", [...described, id].join(" "));
  }
  return note;
}

function onPaste(event) {
  const field = event.target;
  if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) || field.maxLength <= 0) return;
  const pasted = event.clipboardData?.getData("text") ?? "";
  const kept = field.value.length - Math.abs((field.selectionEnd ?? 0) - (field.selectionStart ?? 0));
  const total = kept + pasted.length;
  const note = noteFor(field);
  note.textContent = total > field.maxLength ? t("paste.cut", { limit: field.maxLength, count: total }) : "";
}

/** Listen for pastes on this page (idempotent). */
export function installPasteLimits() {
  document.removeEventListener("paste", onPaste, true);
  document.addEventListener("paste", onPaste, true);
}
