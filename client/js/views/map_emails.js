// E-mail drafts per ring: built by the server from the project's words and its plan (a template),
// edited and kept by the project's author, copied into any mail client by anyone.

import { h, toast } from "../dom.js";
import { t, formatDate } from "../i18n.js";
import { RINGS, isOwner, mapOf } from "../state/maps.js";
import { concerns, sendMap } from "./map_common.js";

function draftEditor(ctx, projectId, ring) {
  const id = (name) => `map-${projectId}-mail-${ring}-${name}`;
  const subject = h("input", { id: id("subject"), maxlength: 150, autocomplete: "off" });
  const body = h("textarea", { id: id("body"), maxlength: 5000, rows: 12, class: "mail-body" });
  const origin = h("p", { class: "muted mail-origin" });
  const save = h("button", { type: "button", class: "primary" }, t("map.emails.save"));
  const reset = h("button", { type: "button" }, t("map.emails.reset"));
  const copy = h("button", { type: "button" }, t("map.emails.copy"));
  const section = h("details", { class: `mail ring-${ring}`, "data-testid": "mail-draft", "data-ring": ring },
    h("summary", {}, h("span", { class: `ring-dot ring-${ring}`, "aria-hidden": "true" }), h("h3", { class: "inline" }, t(`ring.${ring}`))),
    origin,
    h("div", { class: "field" }, h("label", { for: subject.id }, t("map.emails.subject")), subject),
    h("div", { class: "field" }, h("label", { for: body.id }, t("map.emails.body")), body),
    h("div", { class: "actions" }, save, reset, copy));
  let dirty = false;   // the author typed since the last fill: never overwrite their words
  let templateAsked = false;
  for (const field of [subject, body]) field.addEventListener("input", () => (dirty = true));

  async function fillFromTemplate(force) {
    templateAsked = true;
    const reply = await ctx.socket.request("map_email_preview", { project_id: projectId, ring });
    if (!reply?.ok || (dirty && !force)) return;
    subject.value = reply.draft.subject;
    body.value = reply.draft.body;
    origin.textContent = t("map.emails.template");
    dirty = force;
  }

  save.addEventListener("click", async () => {
    const ack = await sendMap(ctx, "email_draft_save", { project_id: projectId, ring, subject: subject.value, body: body.value });
    if (ack.ok) {
      dirty = false;
      toast(t("map.emails.saved"));
    }
  });
  reset.addEventListener("click", () => fillFromTemplate(true));
  copy.addEventListener("click", async () => {
    const text = subject.value ? `${subject.value}\n\n${body.value}` : body.value;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      body.select();
      document.execCommand?.("copy");
    }
    copy.textContent = t("map.emails.copied");
  });
  // The template is built on demand: when the section opens, not for every ring at once.
  section.addEventListener("toggle", () => {
    if (section.open) render(ctx.store.state);
  });

  function render(state) {
    const project = state.projects.get(projectId);
    const map = mapOf(state, projectId);
    if (!project || !map) return;
    const owner = isOwner(state, project);
    for (const el of [subject, body]) el.readOnly = !owner;
    save.hidden = !owner;
    reset.hidden = !owner;
    const saved = map.drafts.get(ring);
    if (saved && !dirty) {
      subject.value = saved.subject;
      body.value = saved.body;
      origin.textContent = `${t("map.emails.kept")} · ${formatDate(saved.updated_at, true)}`;
    } else if (!saved && section.open && !templateAsked) {
      fillFromTemplate(false);
    }
  }
  return { section, render };
}

/** Mount the three e-mail drafts (one per ring) of one project's map. */
export function mountMapEmails(container, ctx, projectId) {
  const editors = RINGS.map((ring) => draftEditor(ctx, projectId, ring));
  const readonly = h("p", { class: "muted" }, t("map.emails.readonly"));
  container.append(h("h2", {}, t("map.emails.title")), h("p", { class: "muted" }, t("map.emails.lead")), readonly,
    ...editors.map((e) => e.section));
  const render = () => {
    const state = ctx.store.state;
    const project = state.projects.get(projectId);
    if (!project) return;
    readonly.hidden = isOwner(state, project);
    for (const editor of editors) editor.render(state);
  };
  render();
  ctx.subscribe((state, change) => {
    if (concerns(change, projectId)) render();
  });
}
