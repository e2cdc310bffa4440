// Commands not yet acknowledged, kept in localStorage so a reload or a closed tab loses nothing.

export class Outbox {
  constructor(storageKey) {
    this.key = storageKey;
    this.items = this.read();
  }

  read() {
    try {
      const items = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  }

  write() {
    localStorage.setItem(this.key, JSON.stringify(this.items));
  }

  /** Keep a command until the server acknowledges it. */
  add(command) {
    this.items.push(command);
    this.write();
  }

  /** Forget a command once acknowledged (ok or refused). */
  remove(opId) {
    this.items = this.items.filter((c) => c.op_id !== opId);
    this.write();
  }

  has(opId) {
    return this.items.some((c) => c.op_id === opId);
  }

  /** Commands in the order they were made. */
  list() {
    return [...this.items];
  }

  get size() {
    return this.items.length;
  }
}
