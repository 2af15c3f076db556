#!/usr/bin/env node
// The pushport command. This file checks the Node version before loading anything else, so that an old Node
// prints one clear line instead of failing somewhere inside the emulator.
import { unsupportedNode } from '../emulator/node-version.ts';

const unsupported = unsupportedNode();
const args = process.argv.slice(2);
if (unsupported && !['help', '-h', '--help'].includes(args[0] ?? 'help')) {
  console.error(`pushport: ${unsupported}`);
  process.exit(1);
}
const { runPushportCommand } = await import('../emulator/cli/pushport-command.ts');
runPushportCommand(args);
