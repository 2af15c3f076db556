// The bench's messages carry their own numbers: the run tag `r`, the send time `t` (performance.now() of this
// process), and a push `seq` or broadcast index `b`. Reading them back must cost the load client little, so
// they are found by key in the raw bytes instead of a JSON.parse per message.
const keys = { r: Buffer.from('"r":'), t: Buffer.from('"t":'), seq: Buffer.from('"seq":'), b: Buffer.from('"b":') };

/**
 * A text-port push line to `u<uid>`, stamped now; the same line is what the client must receive. `options` are
 * push options as JSON members with a trailing comma (`"ttl":60,`), or empty.
 */
export function pushLine(run: number, seq: number, uid: number, options = ''): string {
  return `{"uid":"u${uid}",${options}"r":${run},"seq":${seq},"t":${performance.now().toFixed(3)}}\n`;
}

/** A broadcast body, stamped now (the reference server wants `"broadcast":true` in it as well). */
export function broadcastBody(run: number, b: number, flag: boolean): string {
  return `{${flag ? '"broadcast":true,' : ''}"r":${run},"b":${b},"t":${performance.now().toFixed(3)}}`;
}

/** The non-negative decimal number after `"<key>":` in `payload`, or -1 when it is not there. */
export function probeField(payload: Buffer, key: keyof typeof keys): number {
  const name = keys[key];
  const at = payload.indexOf(name);
  if (at < 0) return -1;
  let i = at + name.length;
  let whole = 0;
  let digits = 0;
  let c = payload[i];
  for (; c !== undefined && c >= 48 && c <= 57; c = payload[++i], digits++) whole = whole * 10 + (c - 48);
  if (c === 46) {
    let scale = 0.1;
    for (c = payload[++i]; c !== undefined && c >= 48 && c <= 57; c = payload[++i], scale /= 10) whole += (c - 48) * scale;
  }
  return digits > 0 ? whole : -1;
}
