// The one way the client builds DOM: user text always goes in as text nodes, never as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function applyAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else if (name === "class") {
      el.setAttribute("class", value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Create an HTML element: h("p", {class: "x"}, "text", otherNode). Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Create an SVG element, same contract as h(). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Replace all children of `el`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Keyed list rendering: reuse the element of each key, create missing ones, drop stale ones,
 * keep order. `create(item)` returns a new element; `update(el, item)` fills it, after every
 * create and on every later render.
 */
export function syncList(container, items, keyOf, create, update) {
  const existing = new Map();
  for (const el of container.children) if (el.dataset.key) existing.set(el.dataset.key, el);
  let cursor = container.firstElementChild;
  for (const item of items) {
    const key = String(keyOf(item));
    let el = existing.get(key);
    if (el) {
      existing.delete(key);
      update(el, item);
    } else {
      el = create(item);
      el.dataset.key = key;
      update(el, item);
    }
    if (el !== cursor) container.insertBefore(el, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const el of existing.values()) el.remove();
}

const TOASTS_SHOWN = 2; // more would pile up over the content people are working on

/**
 * A short-lived message at the bottom of the screen (errors say what happened and what to do).
 * The same message again counts up ("×3") on its toast instead of stacking another one.
 */
export function toast(message, kind = "info") {
  const box = document.getElementById("toasts");
  if (!box) return;
  let el = [...box.children].find((old) => old.dataset.message === message && old.dataset.kind === kind);
  if (el) {
    const times = Number(el.dataset.times) + 1;
    el.dataset.times = String(times);
    el.textContent = `${message} ×${times}`;
    clearTimeout(Number(el.dataset.timer));
    box.append(el); // the newest last
  } else {
    el = h("div", { class: "toast", "data-kind": kind, "data-message": message, "data-times": "1" }, message);
    box.append(el);
    while (box.children.length > TOASTS_SHOWN) box.firstElementChild.remove();
  }
  const done = el;
  el.dataset.timer = String(setTimeout(() => done.remove(), kind === "error" ? 8000 : 4000));
}
