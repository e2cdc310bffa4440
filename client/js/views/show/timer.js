// The shared timer on every screen: phase and remaining time on server time, a gentle signal at
// zero, and the participant's "show" panel (phase, timer, what is open, follow, projector preview).

import { h, replaceChildren } from "../../dom.js";
import { addCatalogue, t } from "../../i18n.js";
import show from "../../i18n/show.js";
import { closedReason, currentPhase, formatRemaining, gateOpen, learnClockFromRoundTrip, remainingMs } from "../../state/show.js";
import { currentRound } from "../../state/votes.js";
import { tickWhileMounted } from "./console_shared.js";
import { applyFollow, followControls, watchRemoval } from "./spotlight.js";
import { registerPanel } from "../registry.js";
import { EVENT, REQUEST } from "../../net/events.js";

addCatalogue(show);

const SOUND_KEY = "snowball:sound-at-zero";
const tracked = new WeakSet();

/** Keep this screen's offset to the server's clock: every sync reply, plus a `clock` round trip on connect. */
export function trackServerClock(ctx) {
  if (tracked.has(ctx.store)) return;
  tracked.add(ctx.store);
  let lastSync = null;
  ctx.store.subscribe(async (state, change) => {
    if (change.kind === "online" && state.serverNow && state.serverNow !== lastSync) {
      lastSync = state.serverNow;
      const offset = Date.parse(state.serverNow) - Date.now();
      if (Number.isFinite(offset)) state.clockOffset = offset;
    }
    if (change.kind === "connection" && state.connection === "connected") {
      const sentAt = Date.now();
      const reply = await ctx.socket.request(REQUEST.CLOCK, {});
      // The state object may have been replaced by a snapshot meanwhile: write to the current one.
      if (reply?.ok) learnClockFromRoundTrip(ctx.store.state, reply.server_now, sentAt, Date.now());
    }
  });
}

function soundOn() {
  return localStorage.getItem(SOUND_KEY) === "on";
}

/** A short, soft two-note chime (only when the person turned the sound on). */
function chime() {
  try {
    const audio = new AudioContext();
    [523.25, 659.25].forEach((freq, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, audio.currentTime + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.08, audio.currentTime + i * 0.25 + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + i * 0.25 + 0.6);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + i * 0.25);
      osc.stop(audio.currentTime + i * 0.25 + 0.7);
    });
  } catch {
    // No audio on this device: the visual signal is enough.
  }
}

/**
 * The timer: a <div role="timer"> whose text is the remaining time. data-state is running, paused,
 * up (reached zero: a gentle visual signal) or idle.
 */
export function timerElement(ctx, { testId = "timer", className = "" } = {}) {
  trackServerClock(ctx);
  const time = h("span", { class: "timer-time", "data-testid": testId });
  const note = h("span", { class: "timer-note" });
  const el = h("div", { class: `timer ${className}`, role: "timer", "aria-live": "off" }, time, note);
  let lastState = null;
  let lastText = null;
  const tick = () => {
    const state = ctx.store.state;
    const left = remainingMs(state);
    const status = state.show?.timer?.status || "idle";
    const shown = status === "idle" ? "idle" : status === "paused" ? "paused" : left === 0 ? "up" : "running";
    const text = formatRemaining(left);
    // The server facts the countdown comes from, for people and tests inspecting the page.
    el.dataset.phaseId = String(state.show?.current_phase_id ?? "");
    el.dataset.endsAt = state.show?.timer?.ends_at || "";
    el.dataset.offsetMs = String(Math.round(state.clockOffset || 0));
    if (text !== lastText) {
      time.textContent = text;
      const phase = currentPhase(state);
      el.setAttribute("aria-label", t("show.timer_label", { phase: phase?.title || "", time: text }));
      lastText = text;
    }
    if (shown !== lastState) {
      if (shown === "up" && lastState === "running" && soundOn()) chime();
      el.dataset.state = shown;
      note.textContent = shown === "paused" ? t("show.paused") : shown === "up" ? t("show.time_up") : "";
      lastState = shown;
    }
  };
  tickWhileMounted(el, 250, tick);
  // A phase change or an extension shows at once, not at the next tick.
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type?.startsWith("show_")) tick();
  });
  return el;
}

/** "Values · Phase 2 of 6", or what the session is waiting for. */
export function phaseLine(state) {
  const show = state.show;
  if (!show || show.status === "idle") return t("show.not_started");
  if (show.status === "ended") return t("show.ended");
  const phase = currentPhase(state);
  const n = show.phases.findIndex((p) => p.id === show.current_phase_id) + 1;
  return `${phase?.title || ""} · ${t("show.phase_of", { n, total: show.phases.length })}`;
}

function gatesNow(state) {
  return ["posting", "voting", "mapping"].map((gate) => {
    const open = gateOpen(state, gate);
    return h("li", { "data-gate": gate, "data-open": String(open) },
      h("span", {}, t(`show.gate.${gate}`)), h("span", { class: "gate-state" }, t(`show.gate.state.${open ? "open" : "closed"}`)));
  });
}

function soundToggle() {
  const box = h("input", { type: "checkbox", id: "sound-at-zero" });
  box.checked = soundOn();
  box.addEventListener("change", () => localStorage.setItem(SOUND_KEY, box.checked ? "on" : "off"));
  return h("div", { class: "check" }, box, h("label", { for: "sound-at-zero" }, t("show.sound")));
}

function mountShowPanel(container, ctx) {
  watchRemoval(ctx);
  applyFollow(ctx); // this panel is on every participant page, the map view included
  const heading = h("h2", { id: "show-h", "data-testid": "phase" });
  const gates = h("ul", { class: "gates-now", "data-testid": "gates-now", "aria-label": t("show.gates") });
  const locked = h("p", { class: "locked-note", role: "status" });
  const preview = h("a", { href: "#projector", class: "button" }, t("show.preview.projector"));
  container.setAttribute("aria-labelledby", "show-h");
  container.append(heading, timerElement(ctx), locked, gates, followControls(ctx), soundToggle(), preview);
  const render = (state) => {
    heading.textContent = phaseLine(state);
    locked.hidden = !state.show?.locked;
    locked.textContent = state.show?.locked ? t("show.locked") : "";
    replaceChildren(gates, gatesNow(state));
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type?.startsWith("show_")) render(state);
    if (change.kind === "snapshot" || change.type === EVENT.SPOTLIGHT_CHANGED || change.type === EVENT.PROJECT_HIDDEN) applyFollow(ctx);
  });
}

registerPanel({ id: "show", area: "side", order: 0, roles: ["participant"], mount: mountShowPanel });

/**
 * The participant's "now" line in the sticky header: the phase, its time and what is closed. On a phone
 * it is what the room needs first (the full panel is further down); on a laptop it replaces a sticky
 * side panel that slid over the others.
 */
function mountNowLine(container, ctx) {
  const phase = h("span", { class: "now-phase", "data-testid": "now-phase" });
  const closed = h("span", { class: "now-closed", "data-testid": "now-closed" });
  container.append(phase, timerElement(ctx, { testId: "now-timer", className: "timer-compact" }), closed);
  const render = (state) => {
    const status = state.show?.status || "idle";
    container.hidden = status === "idle" && !state.show?.locked;
    phase.textContent = status === "ended" ? t("show.ended") : currentPhase(state)?.title || "";
    // Voting is only worth saying closed while a vote is open (else it is noise most of the session).
    const gates = ["posting", "voting", "mapping"].filter((gate) => closedReason(state, gate) === "phase"
      && (gate !== "voting" || currentRound(state).state === "open"));
    closed.textContent = state.show?.locked ? t("now.locked") : gates.map((gate) => t(`now.closed.${gate}`)).join(" · ");
  };
  render(ctx.store.state);
  ctx.subscribe((state, change) => {
    if (change.kind === "snapshot" || change.type?.startsWith("show_") || change.type?.startsWith("vote_")) render(state);
  });
}

registerPanel({ id: "now", area: "header", order: 0, roles: ["participant"], mount: mountNowLine });
