// E-mail drafts per ring: built by the server from the project's words and its plan (a template),
// edited and kept by the project's author, copied into any mail client by anyone.

import { h, toast } from "../../dom.js";
import { t, formatDate } from "../../i18n.js";
import { RINGS, isOwner, shownMap } from "../../state/maps.js";
import { concerns, sendMapFromForm } from "./map_common.js";
import { copyText } from "../widgets.js";
import { COMMAND, REQUEST } from "../../net/events.js";
import { EMAIL_BODY_MAX, EMAIL_SUBJECT_MAX } from "../../limits.js";

function draftEditor(ctx, projectId, ring) {
  const id = (name) => `map-${projectId}-mail-${ring}-${name}`;
  const subject = h("input", { id: id("subject"), maxlength: EMAIL_SUBJECT_MAX, autocomplete: "off" });
  const body = h("textarea", { id: id("body"), maxlength: EMAIL_BODY_MAX, rows: 12, class: "mail-body" });
  const origin = h("p", { class: "muted mail-origin" });
  const save = h("button", { type: "button", class: "primary" }, t("map.emails.save"));
  const reset = h("button", { type: "button" }, t("map.emails.reset"));
  const copy = h("button", { type: "button" }, t("map.emails.copy"));
  // A draft kept on this device, not on the server yet (offline): said in words, even while folded.
  const waiting = h("span", { class: "pending-badge", "data-testid": "map-pending", id: id("pending") });
  const summary = h("summary", {}, h("span", { class: `ring-dot ring-${ring}`, "aria-hidden": "true" }), h("h3", { class: "inline" }, t(`ring.${ring}`)));
  const section = h("details", { class: `mail ring-${ring}`, "data-testid": "mail-draft", "data-ring": ring },
    summary,
    origin,
    h("div", { class: "field" }, h("label", { for: subject.id }, t("map.emails.subject")), subject),
    h("div", { class: "field" }, h("label", { for: body.id }, t("map.emails.body")), body),
    h("div", { class: "actions" }, save, reset, copy));
  let dirty = false;   // the author typed since the last fill: never overwrite their words
  let templateAsked = false;
  for (const field of [subject, body]) field.addEventListener("input", () => (dirty = true));

  async function fillFromTemplate(force) {
    templateAsked = true;
    const reply = await ctx.socket.request(REQUEST.MAP_EMAIL_PREVIEW, { project_id: projectId, ring });
    // A draft kept meanwhile (here, or by someone else) wins over a template asked for before it.
    const kept = shownMap(ctx.store.state, projectId)?.drafts.has(ring);
    if (!reply?.ok || (!force && (dirty || kept))) return;
    subject.value = reply.draft.subject;
    body.value = reply.draft.body;
    origin.textContent = t("map.emails.template");
    dirty = force;
  }

  save.addEventListener("click", async () => {
    // Offline, the draft is kept on this device and shows at once (pending); it is sent on reconnect.
    const ack = await sendMapFromForm(ctx, COMMAND.EMAIL_DRAFT_SAVE, { project_id: projectId, ring, subject: subject.value, body: body.value });
    if (!ack || ack.ok) {
      dirty = false;
      if (ack) toast(t("map.emails.saved"));
      render(ctx.store.state);
    }
  });
  reset.addEventListener("click", () => fillFromTemplate(true));
  copy.addEventListener("click", async () => {
    const text = subject.value ? `${subject.value}\n\n${body.value}` : body.value;
    const copied = await copyText(text);
    copy.textContent = t(copied ? "map.emails.copied" : "map.emails.copy_failed");
  });
  // The template is built on demand: when the section opens, not for every ring at once.
  section.addEventListener("toggle", () => {
    if (section.open) render(ctx.store.state);
  });

  function render(state) {
    const project = state.projects.get(projectId);
    const map = shownMap(state, projectId);
    if (!project || !map) return;
    const owner = isOwner(state, project);
    for (const el of [subject, body]) el.readOnly = !owner;
    save.hidden = !owner;
    reset.hidden = !owner;
    const saved = map.drafts.get(ring);
    if (saved?.pending) {
      waiting.textContent = t("map.pending.draft");
      if (!waiting.isConnected) summary.append(waiting);
      section.dataset.pending = saved.pending;
      for (const el of [subject, body, save]) el.setAttribute("aria-describedby", waiting.id);
    } else if (waiting.isConnected) {
      waiting.remove();
      delete section.dataset.pending;
      for (const el of [subject, body, save]) el.removeAttribute("aria-describedby");
    }
    if (saved && !dirty) {
      subject.value = saved.subject;
      body.value = saved.body;
      const kept = saved.pending ? t("map.emails.kept_here") : t("map.emails.kept");
      origin.textContent = `${kept} · ${formatDate(saved.updated_at, true)}`;
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
