export interface TrafficSlice {
  ts: number;
  bytesIn: number;
  bytesOut: number;
}

const HOUR = 3600;

/**
 * Splits the traffic of a session known only by its totals (a backfilled log) over the UTC
 * hours it lasted, in proportion to the seconds spent in each, so daily and hourly totals land
 * where the bytes flowed. Integer bytes; the slices sum exactly to the totals.
 */
export function spreadOverHours(startedAt: number, endedAt: number, bytesIn: number, bytesOut: number): TrafficSlice[] {
  const end = Math.max(startedAt, endedAt);
  const bounds: number[] = [];
  for (let t = Math.floor(startedAt / HOUR) * HOUR + HOUR; t < end; t += HOUR) {
    bounds.push(t);
  }
  bounds.push(end);
  const duration = end - startedAt;
  const slices: TrafficSlice[] = [];
  let previous = startedAt;
  let givenIn = 0;
  let givenOut = 0;
  bounds.forEach((bound, index) => {
    const last = index === bounds.length - 1;
    const share = duration === 0 ? 1 : (bound - previous) / duration;
    const sliceIn = last ? bytesIn - givenIn : Math.floor(bytesIn * share);
    const sliceOut = last ? bytesOut - givenOut : Math.floor(bytesOut * share);
    givenIn += sliceIn;
    givenOut += sliceOut;
    if (sliceIn > 0 || sliceOut > 0) {
      slices.push({ ts: bound, bytesIn: sliceIn, bytesOut: sliceOut });
    }
    previous = bound;
  });
  return slices;
}
