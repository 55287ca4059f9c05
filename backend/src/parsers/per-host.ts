/** Host → PID → value, without building a string key per line. */
export class PerHost<K, V> {
  private readonly hosts = new Map<string, Map<K, V>>();
  get(host: string, key: K): V | undefined {
    return this.hosts.get(host)?.get(key);
  }
  set(host: string, key: K, value: V): void {
    let map = this.hosts.get(host);
    if (!map) {
      map = new Map();
      this.hosts.set(host, map);
    }
    map.set(key, value);
  }
  delete(host: string, key: K): boolean {
    return this.hosts.get(host)?.delete(key) ?? false;
  }
  has(host: string, key: K): boolean {
    return this.hosts.get(host)?.has(key) ?? false;
  }
  /** One host's values, live: iterate without changing this host's entries. */
  valuesOf(host: string): IterableIterator<V> {
    return (this.hosts.get(host) ?? EMPTY).values() as IterableIterator<V>;
  }
  all(): V[] {
    return [...this.hosts.values()].flatMap((map) => [...map.values()]);
  }
  get size(): number {
    let size = 0;
    for (const map of this.hosts.values()) {
      size += map.size;
    }
    return size;
  }
  entries(): Array<[string, K]> {
    return [...this.hosts].flatMap(([host, map]) => [...map.keys()].map((key): [string, K] => [host, key]));
  }
}

const EMPTY = new Map<never, never>();
