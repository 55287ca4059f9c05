/**
 * The year's traffic as the counters vpnscope's /metrics exposes (vpnscope_bytes_in/out_total per
 * server; vpnscope_user_bytes_in/out_total per server and user, with metrics.perUser), sampled
 * every hour as a scrape would see them, in OpenMetrics text for `promtool tsdb
 * create-blocks-from openmetrics`. The counters are the cumulative sums of the hour rollup, so
 * Prometheus holds the same bytes as vpnscope's traffic_hour table, at the same resolution.
 */
import fs from 'node:fs';
import type { Db } from '../../backend/src/store/database';

const HOUR = 3600;
const FLUSH_CHARS = 1 << 20;

interface Counted {
  series: number;
  samples: number;
}

export interface Export extends Counted {
  bytes: number;
}

interface HourRow {
  series: string;
  ts: number;
  bytes: number;
}

class BufferedFile {
  private parts: string[] = [];
  private chars = 0;
  written = 0;

  constructor(private readonly fd: number) {}

  write(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) {
      this.flush();
    }
  }

  flush(): void {
    const chunk = this.parts.join('');
    this.written += fs.writeSync(this.fd, chunk);
    this.parts = [];
    this.chars = 0;
  }
}

/**
 * One counter family: every series sampled at each whole hour from its first traffic to `endS`
 * (a counter, once it exists, is in every scrape), in time order per series.
 */
function writeFamily(out: BufferedFile, name: string, help: string, rows: Iterable<HourRow>, endS: number): Counted {
  out.write(`# HELP ${name} ${help}\n# TYPE ${name} counter\n`);
  const last = Math.floor(endS / HOUR) * HOUR;
  let series: string | null = null;
  let total = 0;
  let next = 0;
  let count = 0;
  let samples = 0;
  const sampleUntil = (until: number) => {
    for (; next <= until; next += HOUR) {
      out.write(`${name}_total{${series}} ${total} ${next}\n`);
      samples += 1;
    }
  };
  for (const row of rows) {
    if (row.series !== series) {
      if (series !== null) {
        sampleUntil(last);
      }
      series = row.series;
      total = 0;
      next = row.ts;
      count += 1;
    }
    sampleUntil(row.ts - HOUR);
    total += row.bytes;
    sampleUntil(row.ts);
  }
  if (series !== null) {
    sampleUntil(last);
  }
  return { series: count, samples };
}

export function writeOpenMetrics(db: Db, file: string, endS: number): Export {
  const fd = fs.openSync(file, 'w');
  const out = new BufferedFile(fd);
  const totals: Counted = { series: 0, samples: 0 };
  const add = (part: Counted) => {
    totals.series += part.series;
    totals.samples += part.samples;
  };
  for (const [direction, column, help] of [
    ['in', 'bytes_in', 'Bytes the VPN server received'],
    ['out', 'bytes_out', 'Bytes the VPN server sent'],
  ] as const) {
    const perServer = db
      .prepare(
        `SELECT 'server=' || json_quote(s.name) AS series, h.ts, SUM(h.${column}) AS bytes
         FROM traffic_hour h JOIN servers s ON s.id = h.server_id GROUP BY s.name, h.ts ORDER BY s.name, h.ts`
      )
      .iterate() as Iterable<HourRow>;
    add(writeFamily(out, `vpnscope_bytes_${direction}`, `${help}.`, perServer, endS));
    const perUser = db
      .prepare(
        `SELECT 'server=' || json_quote(s.name) || ',user=' || json_quote(h.user) AS series, h.ts, h.${column} AS bytes
         FROM traffic_hour h JOIN servers s ON s.id = h.server_id ORDER BY s.name, h.user, h.ts`
      )
      .iterate() as Iterable<HourRow>;
    add(writeFamily(out, `vpnscope_user_bytes_${direction}`, `${help} from one user.`, perUser, endS));
  }
  out.write('# EOF\n');
  out.flush();
  fs.closeSync(fd);
  return { ...totals, bytes: out.written };
}
