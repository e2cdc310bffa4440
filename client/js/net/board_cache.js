// The last board this device saw, per board and role: the server's last snapshot and the frames
// applied after it, in the Cache API (no localStorage size limit). A reload without a connection
// shows it, marked offline; the socket then resyncs from its seq like after any reconnect.
//
// The frames are bounded: past MAX_KEPT_FRAMES the cache keeps the snapshot and those frames (a true,
// earlier board: a reopen resyncs from its seq) and asks, once, for a fresh snapshot to start again from.

const CACHE = "snowball-boards-v1";
export const MAX_KEPT_FRAMES = 200;

function keyOf(code, role) {
  return `/__board/${encodeURIComponent(code)}/${role}`;
}

export class BoardCache {
  /** `onFull()` is called once when no more frames can be kept (`maxFrames` reached): answer with snapshotReceived(). */
  constructor(code, role, { maxFrames = MAX_KEPT_FRAMES, onFull = () => {} } = {}) {
    this.key = keyOf(code, role);
    this.snapshot = null; // JSON text, taken when it arrived (reducers may change the objects later)
    this.frames = [];
    this.lastSeq = null; // seq of the last thing kept (snapshot or frame)
    this.maxFrames = maxFrames;
    this.onFull = onFull;
    this.asked = false;
    this.saving = false;
    this.dirty = false;
    this.available = typeof caches !== "undefined" && window.isSecureContext;
  }

  /** A snapshot from the server: it replaces everything kept before. */
  snapshotReceived(snapshot) {
    this.snapshot = JSON.stringify(snapshot);
    this.frames = [];
    this.lastSeq = snapshot.seq;
    this.asked = false;
    this.saveSoon();
  }

  /** A frame applied on top of the snapshot, in seq order (frames a newer snapshot holds are skipped). */
  frameApplied(frame) {
    if (this.snapshot === null || frame.seq <= this.lastSeq) return;
    if (frame.seq !== this.lastSeq + 1 || this.frames.length >= this.maxFrames) {
      // Full, or the fresh snapshot was older than the screen: keep what is kept (a true, earlier
      // board) until a fresh snapshot comes, asked for once.
      if (!this.asked) {
        this.asked = true;
        this.onFull();
      }
      return;
    }
    this.frames.push(JSON.stringify(frame));
    this.lastSeq = frame.seq;
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
      this.lastSeq = kept.frames.length ? kept.frames[kept.frames.length - 1].seq : kept.snapshot.seq;
      return kept;
    } catch {
      return null;
    }
  }
}
