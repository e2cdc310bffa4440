// The last board this device saw, per board and role: the server's last snapshot and the frames
// applied after it, in the Cache API (no localStorage size limit). A reload without a connection
// shows it, marked offline; the socket then resyncs from its seq like after any reconnect.

const CACHE = "snowball-boards-v1";

function keyOf(code, role) {
  return `/__board/${encodeURIComponent(code)}/${role}`;
}

export class BoardCache {
  constructor(code, role) {
    this.key = keyOf(code, role);
    this.snapshot = null; // JSON text, taken when it arrived (reducers may change the objects later)
    this.frames = [];
    this.saving = false;
    this.dirty = false;
    this.available = typeof caches !== "undefined" && window.isSecureContext;
  }

  /** A snapshot from the server: it replaces everything kept before. */
  snapshotReceived(snapshot) {
    this.snapshot = JSON.stringify(snapshot);
    this.frames = [];
    this.saveSoon();
  }

  /** A frame applied on top of the snapshot, in seq order. */
  frameApplied(frame) {
    if (this.snapshot === null) return;
    this.frames.push(JSON.stringify(frame));
    this.saveSoon();
  }

  // Written at once; what arrives during a write is written right after it (one write in flight).
  async saveSoon() {
    if (!this.available) return;
    if (this.saving) {
      this.dirty = true;
      return;
    }
    this.saving = true;
    try {
      do {
        this.dirty = false;
        await this.save();
      } while (this.dirty);
    } finally {
      this.saving = false;
    }
  }

  async save() {
    const body = `{"snapshot":${this.snapshot},"frames":[${this.frames.join(",")}],"saved_at":${Date.now()}}`;
    try {
      const cache = await caches.open(CACHE);
      await cache.put(this.key, new Response(body, { headers: { "Content-Type": "application/json" } }));
    } catch {
      // Storage full or refused: the board still works online; it just won't open offline.
    }
  }

  /** What was kept: {snapshot, frames, saved_at}, or null. */
  async load() {
    if (!this.available) return null;
    try {
      const cache = await caches.open(CACHE);
      const response = await cache.match(this.key);
      if (!response) return null;
      const kept = await response.json();
      this.snapshot = JSON.stringify(kept.snapshot);
      this.frames = kept.frames.map((frame) => JSON.stringify(frame));
      return kept;
    } catch {
      return null;
    }
  }
}
