// Composition root: route by URL, build the store and the socket, mount the views.
//
// Conventions for every capability (each listed once in capabilities.js):
//   - state:  client/js/state/<thing>.js registers reducers with onEvent(type, fn) and a snapshot
//             loader with onSnapshot(fn) (see state/store.js).
//   - views:  client/js/views/<thing>/ registers panels / card extensions / hash views / projector
//             stages (see views/registry.js); a view owns its container's DOM, builds it with h() from
//             dom.js (user text as text, never HTML) and subscribes with ctx.subscribe.
//   - names:  protocol names from net/events.js, limits from limits.js (tests compare both with the server).
//   - i18n:   client/js/i18n/<thing>.js exports {en, fr}; register it with addCatalogue().
//   - net:    send commands with ctx.socket.send(type, payload) -> Promise<ack>; requests with
//             ctx.socket.request(name, payload); ephemeral with ctx.socket.volatile / ctx.socket.on.
//
// ctx = {store, socket, role, code, identity, subscribe, navigate, rerender}

import { chooseLanguage, t, errorText } from "./i18n.js";
import { toast } from "./dom.js";
import { loadIdentity, forgetIdentity } from "./identity.js";
import { keepShellOnDevice } from "./net/offline_shell.js";
import { BoardSocket } from "./net/socket.js";
import { Store } from "./state/store.js";
import "./capabilities.js"; // before the pages: every capability registers itself as it loads
import { installLive } from "./state/maps.js";
import { mountHome } from "./views/board/home.js";
import { mountJoin } from "./views/board/join.js";
import { mountBoard } from "./views/board/board.js";
import { mountConnecting } from "./views/board/connecting.js";
import { mountProjector } from "./views/show/projector.js";
import { installPasteLimits } from "./views/board/paste_limits.js";

installPasteLimits();

const root = document.getElementById("app");
let disposers = [];
let session = null; // {store, socket, role, code, identity} once on a board

function release() {
  for (const dispose of disposers) dispose();
  disposers = [];
}

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

/** Which page the URL asks for: home, or a board as participant / facilitator / projector. */
function parseLocation() {
  const match = location.pathname.match(/^\/b\/([^/]+)(?:\/(host|screen))?\/?$/);
  if (!match) return { page: "home" };
  const role = { host: "facilitator", screen: "projector" }[match[2]] || "participant";
  return { page: "board", code: decodeURIComponent(match[1]).toUpperCase(), role };
}

/** Secrets for the facilitator and projector arrive in the URL fragment: keep them, then hide them. */
function takeSecretFromFragment(code, role) {
  const secret = location.hash.slice(1);
  if (role === "participant" || secret.length < 20 || secret.includes("/")) return loadIdentity(code, role);
  const identity = { ...(loadIdentity(code, role) || {}), token: secret };
  localStorage.setItem(`snowball:${code}:${role}`, JSON.stringify(identity));
  history.replaceState(null, "", location.pathname);
  return identity;
}

function draw() {
  release();
  const ctx = {
    ...session,
    navigate,
    rerender: draw,
    subscribe: (fn) => disposers.push(session.store.subscribe(fn)),
  };
  if (!session.store.state.loaded) {
    disposers.push(mountConnecting(root, session));
    const unsubscribe = session.store.subscribe((state, change) => {
      if (change.kind === "snapshot") {
        unsubscribe();
        draw();
      }
    });
    disposers.push(unsubscribe);
    return;
  }
  chooseLanguage(session.store.state.board.language);
  // The projector link, and everyone's preview of it (#projector), get the projector page.
  if (ctx.role === "projector" || location.hash === "#projector") mountProjector(root, ctx);
  else mountBoard(root, ctx);
}

function openBoard(code, role, identity) {
  if (session && session.code === code && session.role === role) return draw();
  session?.socket.socket?.disconnect();
  const store = new Store();
  const socket = new BoardSocket({
    boardCode: code, token: identity.token, role, store,
    onRefused: (error) => {
      if (role === "participant" && error.code === "unauthorised") {
        forgetIdentity(code, role);
        session = null;
        route();
      } else {
        toast(errorText(error), "error");
      }
    },
  });
  session = { store, socket, role, code, identity };
  // From the first connect, live map traffic for the map on screen only. Not the projector: it never
  // says which map its spotlight shows, so it keeps getting every drag of the board.
  if (role !== "projector") installLive(socket);
  draw();
  socket.start();
}

function route() {
  release();
  const where = parseLocation();
  if (where.page === "home") {
    chooseLanguage(null);
    mountHome(root, { navigate, rerender: route });
    return;
  }
  const identity = takeSecretFromFragment(where.code, where.role);
  if (!identity?.token) {
    if (where.role !== "participant") {
      chooseLanguage(null);
      root.textContent = t("error.unauthorised");
      return;
    }
    mountJoin(root, {
      code: where.code,
      chooseLanguage,
      rerender: route,
      onJoined: (canonical) => navigate(`/b/${canonical}`),
    });
    return;
  }
  openBoard(where.code, where.role, identity);
}

// Keep the app shell on this device (a service worker), so a reload without a connection still opens.
keepShellOnDevice();

window.addEventListener("popstate", route);
window.addEventListener("hashchange", () => session && draw());
route();
