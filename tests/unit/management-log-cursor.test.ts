import fc from 'fast-check';
import { LogCursor, type LogPosition } from '../../backend/src/sources/openvpn/management-log-cursor';

/** The times of a history reply that the cursor takes as new. */
function newInReplay(cursor: LogCursor, times: number[]): number[] {
  cursor.beginReplay();
  return times.filter((time) => cursor.isNewInReplay(time));
}

function memoryStore(initial: LogPosition | null = null) {
  const saves: LogPosition[] = [];
  return {
    saves,
    store: {
      load: () => initial,
      save: (position: LogPosition) => saves.push({ ...position }),
    },
  };
}

describe('LogCursor', () => {
  it('takes the whole first history as new', () => {
    expect(newInReplay(new LogCursor(), [100, 100, 101])).toEqual([100, 100, 101]);
  });

  it('skips on a replay exactly the lines already read, even within one second', () => {
    const cursor = new LogCursor();
    newInReplay(cursor, [100, 101, 101]);
    // the server logged one more line in second 101, then two in 102, before the reconnect
    expect(newInReplay(cursor, [100, 101, 101, 101, 102, 102])).toEqual([101, 102, 102]);
    expect(newInReplay(cursor, [100, 101, 101, 101, 102, 102])).toEqual([]);
  });

  it('counts live lines, so the next replay skips them too', () => {
    const cursor = new LogCursor();
    newInReplay(cursor, [100]);
    cursor.passLive(100);
    cursor.passLive(105);
    expect(newInReplay(cursor, [100, 100, 105, 105])).toEqual([105]);
  });

  it('takes a restarted server’s history, which starts after the last line read, as new', () => {
    const cursor = new LogCursor();
    newInReplay(cursor, [100, 101]);
    expect(newInReplay(cursor, [250, 250, 251])).toEqual([250, 250, 251]);
  });

  it('keeps a live line whose clock went backwards from moving the cursor back', () => {
    const cursor = new LogCursor();
    newInReplay(cursor, [200]);
    cursor.passLive(150);
    expect(newInReplay(cursor, [150, 200, 201])).toEqual([201]);
  });

  it('starts from the saved position and saves only when it moved', () => {
    const { store, saves } = memoryStore({ time: 100, linesAtTime: 2 });
    const cursor = new LogCursor(store);
    expect(newInReplay(cursor, [99, 100, 100, 100])).toEqual([100]);
    cursor.save();
    cursor.save();
    expect(saves).toEqual([{ time: 100, linesAtTime: 3 }]);
    cursor.passLive(101);
    cursor.save();
    expect(saves.at(-1)).toEqual({ time: 101, linesAtTime: 1 });
  });

  it('gives back exactly the lines logged since the last read, for any log, reconnect point and cache size', () => {
    const sortedTimes = fc
      .array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 })
      .map((times) => times.sort((a, b) => a - b));
    fc.assert(
      fc.property(sortedTimes, fc.nat(), fc.nat(), (log, readCut, cacheCut) => {
        const read = readCut % (log.length + 1);
        // OpenVPN's cache may have dropped older lines, though not those of the cursor's own second
        const lastReadSecond = read > 0 ? log.indexOf(log[read - 1]) : 0;
        const kept = log.slice(Math.min(cacheCut % (log.length + 1), lastReadSecond));
        const cursor = new LogCursor();
        newInReplay(cursor, log.slice(0, read));
        expect(newInReplay(cursor, kept)).toEqual(log.slice(read));
      })
    );
  });
});
