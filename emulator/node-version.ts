/** The oldest Node that honours `reusePort` (older ones ignore it silently, and processes would not share ports). */
export const MIN_NODE = [22, 12] as const;

/** Why this Node cannot run the emulator, or undefined when it can. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return `Node ${MIN_NODE.join('.')} or newer is needed (SO_REUSEPORT), but this is Node ${version}: `
    + 'inside the pushport repo run it through npm (npm start, npx pushport), which uses the Node it ships';
}
