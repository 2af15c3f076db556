// The text format 0.0.4: comment lines, and samples `name{label="value",…} value`.
const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? (-?[0-9.e+-]+|[+-]Inf|NaN)$/;
const commentLine = /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/;

/**
 * The suite's one Prometheus text parser: checks every line against the format's grammar (throwing on the
 * first that breaks it, so a scrape a real Prometheus would refuse fails the test) and returns the samples by
 * their full name with labels, e.g. `pushport_pushes_total` or `x_bucket{le="0.5"}`.
 */
export function parseExposition(text: string): Record<string, number> {
  if (!text.endsWith('\n')) throw new Error('an exposition ends with a newline');
  const samples: Record<string, number> = {};
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('#')) {
      if (!commentLine.test(line)) throw new Error(`not a HELP or TYPE line: ${JSON.stringify(line)}`);
      continue;
    }
    if (!sampleLine.test(line)) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const at = line.lastIndexOf(' ');
    const value = line.slice(at + 1);
    samples[line.slice(0, at)] = value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value);
  }
  return samples;
}
