/** The oldest Node that honours `reusePort` (older ones ignore it silently, and processes would not share ports). */
export const MIN_NODE = [22, 12] as const;

/**
 * Why this Node cannot run the emulator, or undefined when it can. One line that a deployment can act on:
 * what it needs, and two ways to get it (a system Node, or the `node` package that npm scripts and npx use).
 */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return `Node ${MIN_NODE.join('.')} or newer is needed (SO_REUSEPORT), but this is Node ${version}`
    + `${major <= 20 ? ' (past its end of life)' : ''}. Install Node 24 LTS (https://nodejs.org/en/download, or your`
    + ' package manager, nvm or fnm), or run `npm install node@24` in the project that installed pushport:'
    + ' `npx pushport` and npm scripts then use that Node. Under systemd, give ExecStart that Node\'s absolute path.';
}
