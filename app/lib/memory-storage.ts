// A Web Storage held in memory, for tests of modules that keep state in localStorage (in Node there is none).
export class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
    this.changed(k);
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
    this.changed(k);
  }
  /** Called after each change (a subclass may tell other tabs). */
  protected changed(key: string): void {
    void key;
  }
}
