import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const documents = ['README.md', ...readdirSync(resolve(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks, where a link or a path in backticks is prose. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, each space a hyphen. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
const anchorsOf = (markdown: string) => new Set([...prose(markdown).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));

/** Every broken relative link of one document: a file that does not exist, or an anchor no heading makes. */
function brokenLinks(document: string): string[] {
  const text = readFileSync(resolve(root, document), 'utf8');
  const broken: string[] = [];
  for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target!)) continue; // https:, mailto:
    const [path, anchor] = target!.split('#');
    const file = path ? resolve(root, dirname(document), path) : resolve(root, document);
    if (!existsSync(file)) broken.push(`${target} (no file ${relative(root, file)})`);
    else if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
      broken.push(`${target} (no heading makes #${anchor})`);
    }
  }
  return broken;
}

/** Repository paths named in backticks (`src/…/x.ts`) that do not exist; globs and placeholders are not paths. */
function missingPaths(document: string): string[] {
  const text = prose(readFileSync(resolve(root, document), 'utf8'));
  const named = [...text.matchAll(/`((?:src|worker|emulator|bin|bench|scripts|test|examples|docs)\/[\w./-]+)`/g)].map((m) => m[1]!);
  return named.filter((path) => !existsSync(resolve(root, path)));
}

describe('the README and docs/', () => {
  it('link only to files and headings that exist', () => {
    expect(documents).toContain('docs/operations.md');
    for (const document of documents) expect(brokenLinks(document), document).toEqual([]);
  });

  it('name only repository paths that exist', () => {
    for (const document of documents) expect(missingPaths(document), document).toEqual([]);
  });

  it('make anchors the way GitHub does', () => {
    expect(anchorOf('Several processes: `--count N`')).toBe('several-processes---count-n');
    expect(anchorOf('Zero-loss client: `pushport/client`')).toBe('zero-loss-client-pushportclient');
  });
});
