// The one module that owns the connection: auth, seq ordering, gap detection, resync, the outbox,
// and the last board this device saw (shown, marked offline, when a reload finds no server).

import { io } from "socket.io-client";
import { newOpId } from "../identity.js";
import { BoardCache } from "./board_cache.js";
import { Outbox } from "./outbox.js";
import { transports } from "../page_config.js";
import { EPHEMERAL_EVENT, REQUEST } from "./events.js";

const ACK_TIMEOUT_MS = 10000;
const GAP_WAIT_MS = 300; // frames of concurrent commands may cross; wait this long before asking
// Connect refusals worth trying again (after the refusal's retry_after, at most this many seconds).
const RETRY_CODES = new Set(["rate_limited", "unavailable"]);
const MAX_CONNECT_RETRY_S = 120;
const SYNC_BACKOFF_MAX_S = 30; // a sync that got no answer is asked again after 1, 2, 4… up to this many seconds

export class BoardSocket {
  /**
   * @param {object} o
   * @param {string} o.boardCode
   * @param {string} o.token
   * @param {string} o.role  "participant" | "facilitator" | "projector"
   * @param {import("../state/store.js").Store} o.store
   * @param {(error: object) => void} o.onRefused  called when the server refuses the identity
   */
  constructor({ boardCode, token, role, store, onRefused }) {
    this.boardCode = boardCode;
    this.token = token;
    this.store = store;
    this.onRefused = onRefused;
    this.outbox = new Outbox(`snowball:${boardCode}:${role}:outbox`);
    this.lastBoard = new BoardCache(boardCode, role, { onFull: () => this.refreshKeptBoard() });
    this.buffer = new Map(); // seq -> frame received ahead of a gap
    this.gapTimer = null;
    this.syncing = null;
    this.flushing = false;
    this.listeners = new Map(); // ephemeral event name -> Set(fn)
    this.waiters = new Map(); // op_id -> resolve(ack) of a send() made on this page
    this.applying = []; // acked commands whose event this screen has not applied yet: {...command, acked_seq}
    this.store.setLocal({ connection: "connecting", ...this.pendingState(), refused: [] });
  }

  /** Open the connection (Socket.IO reconnects by itself; every connect resyncs). */
  start() {
    this.openLastBoard();
    this.socket = io({ auth: { board: this.boardCode, token: this.token }, transports: transports() });
    this.socket.on("connect", () => this.onConnect());
    this.socket.on("disconnect", () => this.setConnection(navigator.onLine === false ? "offline" : "reconnecting"));
    this.socket.on("connect_error", (err) => this.onConnectError(err));
    this.socket.on("event", (frame) => this.receive(frame));
    this.socket.onAny((name, data) => {
      for (const fn of this.listeners.get(name) || []) fn(data);
    });
    this.socket.on(EPHEMERAL_EVENT.PRESENCE, (p) => {
      const online = new Set(this.store.state.online || []);
      if (p.online) online.add(p.participant_id);
      else online.delete(p.participant_id);
      this.store.setLocal({ online }, "online");
    });
    window.addEventListener("offline", () => this.setConnection("offline"));
    window.addEventListener("online", () => this.socket.connected || this.socket.connect());
    // A laptop waking from sleep: reconnect at once, or catch up if the socket survived.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible" || this.store.state.connection === "refused") return;
      if (this.socket.connected) this.resync();
      else this.socket.connect();
    });
    return this;
  }

  /**
   * Until the server answers, show the last board this device saw (its snapshot and the frames after
   * it, applied in order), marked as a copy; the first sync then continues from its seq.
   */
  async openLastBoard() {
    const kept = await this.lastBoard.load();
    if (!kept || this.store.state.loaded) return; // the server was quicker: its board wins
    this.store.setLocal({ fromCache: kept.saved_at }, "connection");
    this.store.loadSnapshot(kept.snapshot, kept.frames);
  }

  setConnection(connection) {
    this.store.setLocal({ connection, ...this.pendingState() }, "connection");
  }

  /**
   * What waits: the outbox (count shown in the header), plus acked commands until their event is
   * applied here, so a pending item is swapped for the real one without a frame showing neither.
   */
  pendingState() {
    this.applying = this.applying.filter((c) => c.acked_seq > this.store.state.seq);
    return { pendingCount: this.outbox.size, pending: [...this.outbox.list(), ...this.applying] };
  }

  /** The outbox changed: views that lay pending changes over the board redraw ("pending" change). */
  publishPending() {
    this.store.setLocal(this.pendingState(), "pending");
  }

  /** A command the server refused after it waited offline: keep it visible with its reason. */
  refuse(command, error) {
    const refused = [...(this.store.state.refused || []), { command, error, at: Date.now() }];
    this.store.setLocal({ refused }, "refused");
  }

  /** Forget a refused command once the person has read it. */
  dismissRefused(opId) {
    const refused = (this.store.state.refused || []).filter((r) => r.command.op_id !== opId);
    this.store.setLocal({ refused }, "refused");
  }

  /** True while commands can reach the server now. */
  get online() {
    return Boolean(this.socket?.connected);
  }

  async onConnect() {
    this.stopConnectRetry();
    this.syncFailures = 0; // a new connection: its sync backoff starts again from 1 s
    this.store.setLocal({ connectFailures: 0 }, "connection");
    this.setConnection("connected");
    await this.resync();
    await this.flush();
  }

  onConnectError(err) {
    const data = err?.data;
    if (data && RETRY_CODES.has(data.code)) {
      // Not a refusal of this person: a whole room arriving at once, or the server short of Redis.
      // Socket.IO does not reconnect after a refusal by the server, so try again after `retry_after`
      // (plus up to a second, so a room does not come back in one wave), counting down; again and
      // again if refused again (a retry_after beyond MAX_CONNECT_RETRY_S is tried at that bound).
      const seconds = Math.min(Math.max(Math.ceil(Number(data.params?.retry_after) || 1), 1), MAX_CONNECT_RETRY_S);
      const at = Date.now() + seconds * 1000 + Math.random() * 1000;
      this.stopConnectRetry();
      this.connectRetry = setTimeout(() => {
        this.stopConnectRetry();
        if (!this.socket.connected) this.socket.connect();
      }, at - Date.now());
      const tick = () => {
        const left = Math.max(1, Math.ceil((at - Date.now()) / 1000));
        this.store.setLocal({ connection: "retrying", retryIn: left, ...this.pendingState() }, "connection");
      };
      tick();
      this.connectCountdown = setInterval(tick, 1000);
      return;
    }
    if (data && data.code) {
      // The server refused this identity: reconnecting will not help.
      this.socket.disconnect();
      this.store.setLocal({ connection: "refused", refusal: data }, "connection");
      this.onRefused?.(data);
    } else {
      // Counted, so a screen that never got the board can say why after a few tries (proxy, firewall, address).
      this.store.setLocal({ connectFailures: (this.store.state.connectFailures || 0) + 1 }, "connection");
      this.setConnection(navigator.onLine === false ? "offline" : "reconnecting");
    }
  }

  stopConnectRetry() {
    clearTimeout(this.connectRetry);
    clearInterval(this.connectCountdown);
    this.connectRetry = this.connectCountdown = null;
  }

  /** Try to connect again now (the person pressed "Try again"). */
  retry() {
    if (!this.socket.connected) this.socket.connect();
  }

  /**
   * Ask the server for everything after our last seq (a replay) or a snapshot when far behind. A sync
   * answered `unavailable` or `rate_limited`, or not answered in time, is asked again (see retrySync).
   */
  resync() {
    if (this.syncing) return this.syncing;
    clearTimeout(this.syncRetry);
    this.syncRetry = null;
    const since = this.store.state.loaded ? this.store.state.seq : null;
    this.syncing = this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(REQUEST.SYNC, since === null ? {} : { since })
      .then((reply) => {
        if (!reply?.ok) {
          if (RETRY_CODES.has(reply?.error?.code)) this.retrySync(Number(reply.error.params?.retry_after));
          return;
        }
        this.syncFailures = 0;
        if (reply.snapshot) {
          this.lastBoard.snapshotReceived(reply.snapshot);
          this.store.loadSnapshot(reply.snapshot);
        }
        for (const frame of reply.events || []) this.apply(frame);
        if (this.store.state.fromCache) this.store.setLocal({ fromCache: null }, "connection"); // live again
        this.store.setLocal({ online: new Set(reply.online || []), serverNow: reply.server_now }, "online");
        this.drainBuffer();
        if (this.store.state.connection === "syncing") this.setConnection("connected");
      })
      .catch(() => this.retrySync(0)) // no answer in time
      .finally(() => {
        this.syncing = null;
      });
    return this.syncing;
  }

  /** The kept board has as many frames as it keeps: start it again from a fresh snapshot (the store is untouched). */
  refreshKeptBoard() {
    this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(REQUEST.SYNC, {})
      .then((reply) => {
        if (reply?.ok && reply.snapshot) this.lastBoard.snapshotReceived(reply.snapshot);
        else this.lastBoard.asked = false; // ask again with the next frame
      })
      .catch(() => {
        this.lastBoard.asked = false;
      });
  }

  /**
   * Sync again after `retry_after` (or a backoff of 1, 2, 4… up to 30 s when there is none), saying
   * "syncing" quietly meanwhile. Not while disconnected: the next connect resyncs anyway.
   */
  retrySync(retryAfter) {
    this.syncFailures = (this.syncFailures || 0) + 1;
    const backoff = Math.min(SYNC_BACKOFF_MAX_S, 2 ** (this.syncFailures - 1));
    const seconds = Math.max(retryAfter > 0 ? retryAfter : 0, backoff);
    if (this.store.state.connection === "connected") this.setConnection("syncing");
    clearTimeout(this.syncRetry);
    this.syncRetry = setTimeout(() => {
      this.syncRetry = null;
      if (this.socket.connected) this.resync();
    }, seconds * 1000 + Math.random() * 500);
  }

  receive(frame) {
    const seq = this.store.state.seq;
    if (!this.store.state.loaded || frame.seq <= seq) return; // before the first snapshot, or already applied
    if (frame.seq === seq + 1) {
      this.apply(frame);
      this.drainBuffer();
      return;
    }
    this.buffer.set(frame.seq, frame);
    clearTimeout(this.gapTimer);
    this.gapTimer = setTimeout(() => {
      if (this.buffer.size) this.resync();
    }, GAP_WAIT_MS);
  }

  apply(frame) {
    if (frame.seq !== this.store.state.seq + 1) return;
    this.store.applyFrame(frame);
    this.lastBoard.frameApplied(frame);
  }

  drainBuffer() {
    for (const seq of [...this.buffer.keys()].sort((a, b) => a - b)) {
      if (seq <= this.store.state.seq) this.buffer.delete(seq);
      else if (seq === this.store.state.seq + 1) {
        this.apply(this.buffer.get(seq));
        this.buffer.delete(seq);
      } else break;
    }
  }

  /**
   * Send a command: it gets an op_id, waits in the outbox (kept across reloads) until acked, and is
   * resent with the same op_id after a reconnect. Resolves with the ack ({ok, seq} or {ok:false, error}).
   * `meta` ({title, label}) is kept with it, never sent: it names the change if it is refused later,
   * when what it was about may be gone from this screen.
   */
  send(type, payload = {}, meta = undefined) {
    const command = { op_id: newOpId(), type, payload, at: Date.now(), ...(meta ? { meta } : {}) };
    this.outbox.add(command);
    this.publishPending();
    const answered = new Promise((resolve) => this.waiters.set(command.op_id, resolve));
    if (this.socket?.connected && !this.flushing) this.transmit(command);
    return answered;
  }

  /** Emit one command and settle it on its ack; on timeout it stays queued (same op_id next time). */
  async transmit(command, replayed = false) {
    let ack;
    try {
      ack = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(command.type, { ...command.payload, op_id: command.op_id });
    } catch {
      return null;
    }
    if (!ack.ok && RETRY_CODES.has(ack.error?.code)) {
      // Not a refusal of the change: too much at once, or the server short of its database for a
      // moment. It stays queued and goes again shortly.
      const seconds = Number(ack.error.params?.retry_after) || 1;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.flush(), Math.min(seconds, 30) * 1000);
      return null;
    }
    this.store.acked(command, ack);
    this.outbox.remove(command.op_id);
    if (ack.ok && Number.isInteger(ack.seq)) this.applying.push({ ...command, acked_seq: ack.seq });
    this.publishPending();
    const waiter = this.waiters.get(command.op_id);
    this.waiters.delete(command.op_id);
    if (waiter) waiter(ack);
    // A command that waited offline is refused now: its form may be long gone, so show it apart.
    if (!ack.ok && (replayed || !waiter)) this.refuse(command, ack.error);
    return ack;
  }

  /** Send every waiting command once, in the order they were made (including ones added meanwhile). */
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const tried = new Set();
      for (;;) {
        const next = this.outbox.list().find((c) => !tried.has(c.op_id));
        if (!next || !this.socket.connected) break;
        tried.add(next.op_id);
        // Replays go one by one; a rate-limited one stops this round (a retry is scheduled).
        if ((await this.transmit(next, true)) === null) break;
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Request/response that changes nothing (no op_id, not queued). */
  request(name, payload = {}) {
    return this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(name, payload).catch(() => ({ ok: false, error: { code: "network" } }));
  }

  /** Fire-and-forget ephemeral traffic (drags, typing); dropped when offline. */
  volatile(name, payload) {
    if (this.socket?.connected) this.socket.volatile.emit(name, payload);
  }

  /** Ephemeral state the server must hear while connected (which map this screen shows): a plain emit,
   * since a volatile one is dropped while the transport is not writable, e.g. during the upgrade from
   * long-polling to WebSocket right after connecting. Never queued offline. */
  declare(name, payload) {
    if (this.socket?.connected) this.socket.emit(name, payload);
  }

  /** Listen to an ephemeral server message; returns the unsubscribe function. */
  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }
}
