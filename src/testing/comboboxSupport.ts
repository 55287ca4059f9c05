/*
 * Browser APIs jsdom lacks that @grafana/ui's Combobox uses: canvas `measureText` to size its
 * menu (the scaffold's jest setup stubs getContext to return nothing), IntersectionObserver for
 * the menu's scroll indicators, and layout: the menu is virtualised and renders only the options
 * that fit its measured box, which jsdom reports as 0×0. Import this in tests that open a Combobox.
 */
Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
  configurable: true,
  value: () => ({ font: '', measureText: (text: string) => ({ width: text.length * 7 }) }),
});

class InertIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

Object.defineProperty(window, 'IntersectionObserver', { configurable: true, value: InertIntersectionObserver });

for (const [dimension, size] of [
  ['clientWidth', 400],
  ['clientHeight', 400],
] as const) {
  Object.defineProperty(HTMLElement.prototype, dimension, { configurable: true, get: () => size });
}
