// The Prometheus text exposition format 0.0.4, written by hand: prom-client needs Node, and the edge must
// answer with the very same text as the local server, so both use this one writer.

/** The content type of the Prometheus text format. */
export const expositionContentType = 'text/plain; version=0.0.4; charset=utf-8';

/** Label names and values of one sample. */
export type Labels = Readonly<Record<string, string>>;

/** One histogram as plain data: per-bucket counts under each bound (not cumulative), then one above them all. */
export interface HistogramCounts {
  buckets: readonly number[];
  sum: number;
  count: number;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text as the format wants it: backslash and line feed escaped (quotes stay). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** A sample value: integers as they are, infinities as +Inf / -Inf, NaN as NaN. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const pairs = Object.entries(labels);
  if (pairs.length === 0) return '';
  for (const [name] of pairs) if (!labelName.test(name) || name.startsWith('__')) throw new Error(`invalid label name ${JSON.stringify(name)}`);
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** Writes metric families, each with its HELP and TYPE lines, into one exposition text. */
export class ExpositionWriter {
  private readonly lines: string[] = [];
  private readonly names = new Set<string>();

  /** A gauge: a value that goes up and down. */
  gauge(name: string, help: string, value: number, labels?: Labels): this {
    this.head(name, 'gauge', help);
    this.lines.push(`${name}${labelText(labels)} ${formatValue(value)}`);
    return this;
  }

  /** A counter: a running total (its name should end in _total). */
  counter(name: string, help: string, value: number, labels?: Labels): this {
    this.head(name, 'counter', help);
    this.lines.push(`${name}${labelText(labels)} ${formatValue(value)}`);
    return this;
  }

  /** A histogram: cumulative `_bucket{le=…}` lines up to `+Inf`, then `_sum` and `_count`. */
  histogram(name: string, help: string, bounds: readonly number[], counts: HistogramCounts): this {
    if (counts.buckets.length !== bounds.length + 1) throw new Error(`${name}: ${bounds.length + 1} buckets expected, got ${counts.buckets.length}`);
    this.head(name, 'histogram', help);
    let cumulative = 0;
    bounds.forEach((le, i) => {
      cumulative += counts.buckets[i]!;
      this.lines.push(`${name}_bucket{le="${formatValue(le)}"} ${formatValue(cumulative)}`);
    });
    this.lines.push(`${name}_bucket{le="+Inf"} ${formatValue(counts.count)}`);
    this.lines.push(`${name}_sum ${formatValue(counts.sum)}`);
    this.lines.push(`${name}_count ${formatValue(counts.count)}`);
    return this;
  }

  /** The exposition: one line per entry, ending with a line feed. */
  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  // A family appears once: a second HELP/TYPE for the same name makes the scrape fail.
  private head(name: string, type: string, help: string): void {
    if (!metricName.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
    if (this.names.has(name)) throw new Error(`metric ${name} written twice`);
    this.names.add(name);
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }
}
