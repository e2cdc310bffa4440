// The live wall of story cards, and the "Post your project" panel.

import { h, replaceChildren, syncList, toast } from "../../dom.js";
import { t, tIsolated, errorText, formatAmount, formatDate } from "../../i18n.js";
import { isMine, nameOf, projectsInOrder } from "../../state/board.js";
import { closedReasonKey } from "../../state/show.js";
import { pendingCommands } from "../../state/store.js";
import { projectForm } from "./project_form.js";
import { cardExtensionsList, registerPanel } from "../registry.js";
import { COMMAND } from "../../net/events.js";

function cardContent(ctx, card, project) {
  const state = ctx.store.state;
  const meta = h("div", { class: "meta" }, h("span", {}, tIsolated("project.by", { name: nameOf(state, project.author_id) })));
  if (project.category) meta.append(h("span", { dir: "auto" }, project.category));
  if (project.goal_amount !== null && project.goal_amount !== undefined) {
    meta.append(h("span", {}, t("project.goal", { amount: formatAmount(project.goal_amount, project.currency) })));
  }
  if (project.platform) meta.append(h("span", { dir: "auto" }, project.platform));
  if (project.campaign_start || project.campaign_end) {
    meta.append(h("span", {}, t("project.dates", { start: formatDate(project.campaign_start), end: formatDate(project.campaign_end) })));
  }
  const body = [h("h3", { id: `project-${project.id}-title`, dir: "auto" }, project.title), h("p", { class: "pitch", dir: "auto" }, project.pitch), meta];
  if (project.pending) {
    body.unshift(h("p", { class: "pending-badge", "data-testid": "pending" }, t(`pending.${project.pending}`)));
    card.dataset.mine = "true";
    replaceChildren(card, ...body);
    return; // not on the server yet: no controls until it is
  }
  if (project.story) body.push(h("details", {}, h("summary", {}, t("project.story")), h("p", { class: "story" }, project.story)));
  if (project.link) body.push(h("p", {}, h("a", { href: project.link, target: "_blank", rel: "noopener noreferrer nofollow" }, project.link)));
  const mine = isMine(state, project);
  if (mine || state.me?.role === "facilitator") {
    const closed = closedReasonKey(state, "posting");
    const edit = h("button", { type: "button", "aria-label": `${t("project.edit")}: ${project.title}` }, t("project.edit"));
    edit.addEventListener("click", () => startEdit(ctx, card, project));
    const remove = h("button", { type: "button", class: "danger", "aria-label": `${t("project.delete")}: ${project.title}` }, t("project.delete"));
    remove.addEventListener("click", async () => {
      if (!window.confirm(t("project.delete.confirm", { title: project.title }))) return;
      const ack = await ctx.socket.send(COMMAND.PROJECT_DELETE, { project_id: project.id });
      if (!ack.ok) toast(errorText(ack.error), "error");
    });
    // A hidden card does not change until it is shown again (the server refuses: the edit would reach everyone).
    const actions = h("div", { class: "actions" }, ...(state.hiddenProjects?.has(project.id) ? [] : [edit]), remove);
    if (closed) {
      // Editing and removing a card are posting too: closed with the same reason, said beside them.
      const why = h("p", { class: "gate-note", id: `project-${project.id}-closed`, "data-testid": "edit-closed" }, t(closed));
      for (const control of [edit, remove]) {
        control.disabled = true;
        control.setAttribute("aria-describedby", why.id);
      }
      actions.append(why);
    }
    body.push(actions);
  }
  const extensions = h("div", { class: "card-extensions" });
  for (const ext of cardExtensionsList()) {
    const el = ext.create(ctx, project);
    if (el) {
      el.dataset.extension = ext.id;
      extensions.append(el);
    }
  }
  body.push(extensions);
  card.dataset.mine = String(mine);
  replaceChildren(card, ...body);
}

function startEdit(ctx, card, project) {
  card.dataset.editing = "true";
  const form = projectForm(ctx, {
    project,
    idPrefix: `edit-${project.id}`,
    onDone: () => {
      delete card.dataset.editing;
      cardContent(ctx, card, ctx.store.state.projects.get(project.id) || project);
      card.querySelector("button")?.focus();
    },
  });
  replaceChildren(card, h("h3", {}, t("project.edit.title")), form);
  form.querySelector("input")?.focus();
}

function updateCard(ctx, card, project) {
  if (card.dataset.editing) return; // never yank a form from under someone typing
  card.dataset.pending = String(Boolean(project.pending));
  const hidden = Boolean(ctx.store.state.hiddenProjects?.has(project.id)); // its Edit button comes and goes with it
  const signature = `${project.updated_at}|${project.pending || ""}|${ctx.store.state.participants.size}|${closedReasonKey(ctx.store.state, "posting")}|${hidden}`;
  if (card.querySelector("h3") && card.dataset.signature === signature) {
    for (const ext of cardExtensionsList()) {
      const el = card.querySelector(`[data-extension="${ext.id}"]`);
      if (el) ext.update(el, ctx, project);
    }
    return;
  }
  // Redrawn (someone joined, the card was edited): focus inside it stays on the same element.
  const focused = card.contains(document.activeElement) && document.activeElement.id;
  cardContent(ctx, card, project);
  card.dataset.signature = signature;
  const again = focused && document.getElementById(focused);
  if (again && card.contains(again)) {
    if (again.tagName === "H3") again.setAttribute("tabindex", "-1");
    again.focus();
  }
}

/** The cards as the server has them, overlaid with this device's changes still waiting to be sent. */
function withPending(state, projects) {
  const pending = pendingCommands(state);
  const edits = new Map();
  const deletes = new Set();
  const posts = [];
  for (const command of pending) {
    const p = command.payload;
    if (command.type === COMMAND.PROJECT_POST) {
      posts.push({ ...p.project, id: `pending-${command.op_id}`, author_id: state.me?.participant_id, pending: "post" });
    } else if (command.type === COMMAND.PROJECT_EDIT) {
      edits.set(p.project_id, { ...(edits.get(p.project_id) || {}), ...p.project });
    } else if (command.type === COMMAND.PROJECT_DELETE) {
      deletes.add(p.project_id);
    }
  }
  const shown = projects.map((project) => {
    if (deletes.has(project.id)) return { ...project, pending: "delete" };
    if (edits.has(project.id)) return { ...project, ...edits.get(project.id), pending: "edit" };
    return project;
  });
  return [...shown, ...posts];
}

function mountWall(container, ctx) {
  const heading = h("h2", { id: "wall-h" });
  const empty = h("p", { class: "empty" });
  const wall = h("div", { class: "wall", "aria-labelledby": "wall-h", "data-testid": "wall" });
  container.append(heading, empty, wall);
  const render = (state) => {
    const projects = withPending(state, projectsInOrder(state));
    heading.textContent = t("board.projects", { count: projects.length });
    empty.hidden = projects.length > 0;
    empty.textContent = t(state.me?.role === "participant" ? "board.empty" : "board.empty_host");
    syncList(wall, projects, (p) => p.id,
      (p) => {
        const card = h("article", { class: "card", "data-testid": "project-card", "aria-labelledby": `project-${p.id}-title` });
        updateCard(ctx, card, p);
        return card;
      },
      (card, p) => updateCard(ctx, card, p));
  };
  render(ctx.store.state);
  ctx.subscribe((state) => render(state));
}

function mountPostForm(container, ctx) {
  const details = h("details", { class: "panel post-panel", "data-testid": "post-panel" });
  const summary = h("summary", {}, h("h2", { class: "inline" }, t("project.post.title")));
  const form = projectForm(ctx, {
    onDone: (ack) => {
      toast(t("project.posted"));
      details.open = false;
      focusNewCard(before, Boolean(ack));
    },
  });
  // Closed (by the phase or the lock) shows up front, in the summary line, with its reason: nobody
  // types a card for nothing, and a closed, empty form folds away so the cards come first on a phone.
  const closed = h("span", { class: "gate-note", role: "status", "data-testid": "post-closed" });
  summary.append(closed);
  let before = new Set();
  form.addEventListener("submit", () => {
    before = new Set([...document.querySelectorAll('[data-testid="project-card"][data-mine="true"]')].map((c) => c.dataset.key));
  }, true);
  details.append(summary, h("p", { class: "muted" }, t("project.post.lead")), form);
  const hasMine = () => [...ctx.store.state.projects.values()].some((p) => isMine(ctx.store.state, p));
  const typed = () => [...form.elements].some((el) => el.type !== "select-one" && el.type !== "submit" && el.value);
  // Open by default while the participant has no card yet: the first thing to do.
  details.open = !hasMine();
  container.append(details);
  let wasClosed = null;
  const render = (state) => {
    const reason = closedReasonKey(state, "posting");
    closed.hidden = !reason;
    closed.textContent = reason ? t(reason) : "";
    details.dataset.closed = String(Boolean(reason));
    // Disabled, not emptied: what someone typed before the gate closed stays for later.
    for (const control of form.elements) control.disabled = Boolean(reason);
    if (Boolean(reason) !== wasClosed) {
      if (reason && !typed()) details.open = false;
      else if (!reason && wasClosed && !hasMine()) details.open = true;
      wasClosed = Boolean(reason);
    }
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type?.startsWith("show_")) render(state);
  });
}

/** After posting, focus goes to the new card's title (it shows once its event is applied, or at once offline). */
function focusNewCard(before, onServer, tries = 120) {
  const card = [...document.querySelectorAll('[data-testid="project-card"][data-mine="true"]')]
    .find((c) => !before.has(c.dataset.key) && (!onServer || !c.dataset.key.startsWith("pending-")));
  const title = card?.querySelector("h3");
  if (!title) {
    if (tries > 0) requestAnimationFrame(() => focusNewCard(before, onServer, tries - 1));
    return;
  }
  title.setAttribute("tabindex", "-1");
  title.focus();
}

registerPanel({ id: "post", area: "main", order: 20, roles: ["participant"], mount: mountPostForm });
registerPanel({ id: "wall", area: "main", order: 50, mount: mountWall });
