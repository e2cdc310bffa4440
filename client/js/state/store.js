// The board's state on this screen: loaded from a snapshot, then changed only by sequenced events.
// Each capability registers its reducers (event type -> fn) and its snapshot loader here.

const reducers = new Map();
const snapshotLoaders = [];

/** Register how an event type changes the state: fn(state, data, frame); several capabilities may listen. */
export function onEvent(type, fn) {
  if (!reducers.has(type)) reducers.set(type, []);
  reducers.get(type).push(fn);
}

/** Register how a snapshot fills a capability's part of the state: fn(state, snapshot). */
export function onSnapshot(fn) {
  snapshotLoaders.push(fn);
}

/** Event types with a reducer (a test keeps this equal to the server's list). */
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

  /** Replace the whole board with the server's snapshot. */
  loadSnapshot(snapshot) {
    const local = { connection: this.state.connection, online: this.state.online || new Set(), pendingCount: this.state.pendingCount || 0 };
    this.state = { ...local, seq: snapshot.seq, loaded: true };
    for (const load of snapshotLoaders) load(this.state, snapshot);
    this.notify({ kind: "snapshot" });
  }

  /** Apply one sequenced event (the caller guarantees seq order). */
  applyFrame(frame) {
    const reduce = reducers.get(frame.type);
    if (reduce) for (const fn of reduce) fn(this.state, frame.data, frame);
    else console.warn("no reducer for event", frame.type);
    this.state.seq = frame.seq;
    this.notify({ kind: "event", type: frame.type, frame });
  }

  /** Change local, unsequenced state (connection status, presence, pending count). */
  setLocal(patch, kind = "local") {
    Object.assign(this.state, patch);
    this.notify({ kind });
  }
}
