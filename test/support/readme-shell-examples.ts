/** What a shell example documents as its reply: a JSON value, or a text-port line such as `ok`. */
export type ExpectedReply = { json: unknown; note: string } | { line: string; note: string };

/** One runnable command of a markdown `sh` block, with the setup lines before it and the reply it documents. */
export interface ShellExample {
  /** The command as written (a `printf … |` line and the command it feeds are one example). */
  command: string;
  /** The assignment lines (`TOKEN=…; URL=…`) seen before it, in any earlier block too. */
  setup: string[];
  expected?: ExpectedReply;
}

// Commands a test can run against a local server; the rest (npm, npx, cp) start or deploy things.
const RUNNABLE = /^(curl |printf |exec 3<>)/;
const ASSIGNMENTS = /^(\w+=[^\s;]+;\s*)*\w+=[^\s;]+$/;
const TEXT_REPLY = /^(ok|fail|queued)\b/;

/** The index of a trailing ` # comment` outside quotes, or -1. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}

/** The JSON value at the start of `text` (an object or array), and what follows it. */
function leadingJson(text: string): { json: unknown; rest: string } | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) {
      return { json: JSON.parse(text.slice(0, i + 1)), rest: text.slice(i + 1).trim() };
    }
  }
  return undefined;
}

/** Reads a comment as a documented reply, if it is one (`# {"ok":true}` or `# ok`). */
function replyOf(comment: string): ExpectedReply | undefined {
  const text = comment.replace(/^#\s*/, '');
  if (text.startsWith('{') || text.startsWith('[')) {
    const parsed = leadingJson(text);
    if (!parsed) throw new Error(`unbalanced JSON in a documented reply: ${comment}`);
    return { json: parsed.json, note: parsed.rest };
  }
  const line = TEXT_REPLY.exec(text)?.[1];
  return line ? { line, note: text.slice(line.length).trim() } : undefined;
}

/** Every runnable shell example of a markdown text, in order, with the replies its comments document. */
export function shellExamples(markdown: string): ShellExample[] {
  const examples: ShellExample[] = [];
  const setup: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    let last: ShellExample | undefined;
    let pending = '';
    for (const raw of block[1]!.split('\n')) {
      const at = commentStart(raw);
      const code = (at === -1 ? raw : raw.slice(0, at)).trim();
      const reply = at === -1 ? undefined : replyOf(raw.slice(at));
      if (!code) {
        // A reply on a line of its own answers the command just before it.
        if (reply && last) last.expected = reply;
        continue;
      }
      if (ASSIGNMENTS.test(code)) {
        setup.push(code);
        continue;
      }
      if (!pending && !RUNNABLE.test(code)) {
        last = undefined;
        continue;
      }
      if (code.endsWith('|')) {
        pending += `${code}\n`;
        continue;
      }
      last = { command: pending + code, setup: [...setup], expected: reply };
      pending = '';
      examples.push(last);
    }
  }
  return examples;
}
