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
  *values(host?: string): IterableIterator<V> {
    for (const [name, map] of this.hosts) {
      if (host === undefined || host === name) {
        yield* map.values();
      }
    }
  }
  entries(): Array<[string, K]> {
    return [...this.hosts].flatMap(([host, map]) => [...map.keys()].map((key): [string, K] => [host, key]));
  }
}
