// The board's state on this screen: loaded from a snapshot, then changed only by sequenced events.
// Each capability registers its reducers (event type -> fn) and its snapshot loader here.

const reducers = new Map();
const snapshotLoaders = [];
const ackHandlers = new Map();
// This screen's own facts, not the board's: a snapshot replaces the board and keeps these.
const localKeys = new Set(["connection", "refusal", "online", "serverNow", "pendingCount", "pending", "refused", "fromCache"]);

/** Register how an event type changes the state: fn(state, data, frame); several capabilities may listen. */
export function onEvent(type, fn) {
  if (!reducers.has(type)) reducers.set(type, []);
  reducers.get(type).push(fn);
}

/** Register how a snapshot fills a capability's part of the state: fn(state, snapshot). */
export function onSnapshot(fn) {
  snapshotLoaders.push(fn);
}

/** Name local state a capability keeps on this screen (set with setLocal) that a snapshot must not reset. */
export function keepLocal(...keys) {
  for (const key of keys) localKeys.add(key);
}

/**
 * Register what an acknowledged command of this screen tells beyond its event: fn(state, command, ack),
 * for accepted and refused commands alike (e.g. a voter's own dots, private to the sender).
 */
export function onAck(type, fn) {
  if (!ackHandlers.has(type)) ackHandlers.set(type, []);
  ackHandlers.get(type).push(fn);
}

/**
 * This device's changes not yet on this screen's board: waiting in the outbox, or acked but their
 * event not applied here yet (`acked_seq` ahead of the state), oldest first. State modules lay them
 * over the board to show them at once, marked pending.
 */
export function pendingCommands(state) {
  return (state.pending || []).filter((c) => c.acked_seq === undefined || c.acked_seq > state.seq);
}

/** Event types with a reducer (tests/unit/test_client_registrations.py keeps this equal to the server's list). */
export function knownEventTypes() {
  return [...reducers.keys()];
}

export class Store {
  constructor() {
    this.state = { seq: 0, loaded: false };
    this.listeners = new Set();
  }

  /** Call fn(state, change) after every change; returns the unsubscribe function. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(change) {
    for (const fn of [...this.listeners]) fn(this.state, change);
  }

  /**
   * Replace the whole board with the server's snapshot, and the frames that followed it (a board kept
   * on this device): views hear of it once, with every frame applied.
   */
  loadSnapshot(snapshot, frames = []) {
    const local = Object.fromEntries([...localKeys].filter((key) => this.state[key] !== undefined).map((key) => [key, this.state[key]]));
    this.state = { online: new Set(), pendingCount: 0, ...local, seq: snapshot.seq, loaded: true };
    for (const load of snapshotLoaders) load(this.state, snapshot);
    for (const frame of frames) if (frame.seq === this.state.seq + 1) this.reduce(frame);
    this.notify({ kind: "snapshot" });
  }

  reduce(frame) {
    const reduce = reducers.get(frame.type);
    if (reduce) for (const fn of reduce) fn(this.state, frame.data, frame);
    else console.warn("no reducer for event", frame.type);
    this.state.seq = frame.seq;
  }

  /** Apply one sequenced event (the caller guarantees seq order). */
  applyFrame(frame) {
    this.reduce(frame);
    this.notify({ kind: "event", type: frame.type, frame });
  }

  /** A command of this screen was answered: let the capabilities keep what the ack says (no redraw here). */
  acked(command, ack) {
    for (const fn of ackHandlers.get(command.type) || []) {
      try {
        fn(this.state, command, ack);
      } catch (error) {
        console.error("ack handler failed", command.type, error); // the outbox must still settle
      }
    }
  }

  /** Change local, unsequenced state (connection status, presence, pending count). */
  setLocal(patch, kind = "local") {
    Object.assign(this.state, patch);
    this.notify({ kind });
  }
}
