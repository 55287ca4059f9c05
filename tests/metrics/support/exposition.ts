import { execFileSync } from 'node:child_process';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** `# TYPE` of every metric family. */
  types: Map<string, string>;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads the Prometheus text format, enough to check names, types, labels and values. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample) {
      const labels = Object.fromEntries(
        [...(sample[2] ?? '').matchAll(LABEL)].map((m) => [m[1], JSON.parse(`"${m[2]}"`)])
      );
      samples.push({ name: sample[1], labels, value: Number(sample[3]) });
    }
  }
  return { types, samples };
}

export const samplesOf = (exposition: Exposition, name: string): Sample[] =>
  exposition.samples.filter((sample) => sample.name === name);

/** What `promtool check metrics` says about an exposition: empty when it finds no problem. */
export function promtoolProblems(text: string): string {
  try {
    return execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; status?: number };
    return `exit ${failed.status}: ${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim();
  }
}
