/** A binary min-heap by a numeric key: what happens next in the simulated year comes out first. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly keyOf: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const { items, keyOf } = this;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (keyOf(items[parent]) <= keyOf(items[child])) {
        break;
      }
      [items[parent], items[child]] = [items[child], items[parent]];
      child = parent;
    }
  }

  /** Removes and returns the items whose key is at most `key` (at most `limit` of them), smallest first. */
  popUpTo(key: number, limit = Number.POSITIVE_INFINITY): T[] {
    const due: T[] = [];
    while (due.length < limit && this.items.length > 0 && this.keyOf(this.items[0]) <= key) {
      due.push(this.pop());
    }
    return due;
  }

  private pop(): T {
    const { items, keyOf } = this;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      let parent = 0;
      for (;;) {
        const left = 2 * parent + 1;
        const right = left + 1;
        let smallest = parent;
        if (left < items.length && keyOf(items[left]) < keyOf(items[smallest])) {
          smallest = left;
        }
        if (right < items.length && keyOf(items[right]) < keyOf(items[smallest])) {
          smallest = right;
        }
        if (smallest === parent) {
          break;
        }
        [items[parent], items[smallest]] = [items[smallest], items[parent]];
        parent = smallest;
      }
    }
    return top;
  }
}
