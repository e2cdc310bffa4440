// Extension points of the board page, filled by each capability's module (listed in capabilities.js).
//   panels:          sections of the board page ("main" column above the wall, "side" column, or
//                    "header": a line in the sticky header, in view on every screen size)
//   card extensions: controls added to every story card (e.g. dots for the vote)
//   hash views:      full views shown instead of the wall for a location hash (e.g. #map/12)
//   stages:          what the projector shows, one per phase kind and per spotlight view
//                    (show/projector_stages.js picks one; a name nobody registered is an error)

const panels = [];
const cardExtensions = [];
const hashViews = [];
const stages = new Map();

/**
 * A panel: {id, area: "main"|"side"|"header", order, roles?: ["facilitator", ...], everywhere?, mount(container, ctx)}.
 * mount() owns its container's DOM and subscribes through ctx.subscribe (released on redraw).
 * `everywhere`: a main panel also shown above a hash view (e.g. changes refused on return, on a map).
 */
export function registerPanel(panel) {
  panels.push(panel);
}

/** Panels for an area and role, in order. */
export function panelsFor(area, role) {
  return panels
    .filter((p) => p.area === area && (!p.roles || p.roles.includes(role)))
    .sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
}

/** A card extension: {id, create(ctx, project) -> Element, update(el, ctx, project)}. */
export function registerCardExtension(extension) {
  cardExtensions.push(extension);
}

export function cardExtensionsList() {
  return [...cardExtensions];
}

/** A hash view: {pattern: RegExp on location.hash, mount(container, ctx, match)}. */
export function registerHashView(view) {
  hashViews.push(view);
}

/** The hash view matching the current location hash, with its match, or null. */
export function hashViewFor(hash) {
  for (const view of hashViews) {
    const match = hash.match(view.pattern);
    if (match) return { view, match };
  }
  return null;
}

/**
 * A projector stage, by name: a phase kind ("join", "vote", …) or "spotlight:<view>" ("spotlight:card").
 * make(state, ctx, projectId?) -> {key, mount(container) -> update(state)}; the same key keeps its DOM.
 */
export function registerStage(name, make) {
  if (stages.has(name)) throw new Error(`projector stage "${name}" registered twice`);
  stages.set(name, make);
}

/** Make the stage registered under `name`; one nobody registered fails here, loudly. */
export function makeStage(name, state, ctx, ...args) {
  const make = stages.get(name);
  if (!make) throw new Error(`no projector stage registered for "${name}"`);
  return make(state, ctx, ...args);
}

/** The names of the registered projector stages. */
export function stageNames() {
  return [...stages.keys()];
}
