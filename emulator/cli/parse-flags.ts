import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ConfigError } from '../../src/limits.ts';

/** What `parseFlags` found: each option's value, and the words that are not options. */
export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

// node:util reports in several sentences aimed at programmers; a user gets one line that says what to do.
function oneLine(error: NodeJS.ErrnoException, seeHelp: string): string {
  const named = /option '(-[^' <,]+)/i.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${named ?? ''} (${seeHelp})`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named) {
    return error.message.includes('does not take') ? `${named} takes no value` : `${named} needs a value`;
  }
  const argument = /argument '([^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${argument ?? ''} (${seeHelp})`;
  return `${error.message.split('\n')[0]} (${seeHelp})`;
}

/**
 * `node:util` `parseArgs`, strict, with its errors turned into a one-line ConfigError.
 * `seeHelp` ends those lines, e.g. "see pushport --help".
 */
export function parseFlags(args: string[], options: ParseArgsOptionsConfig, seeHelp: string, allowPositionals = true): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals });
    return { values: values as ParsedFlags['values'], positionals };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new ConfigError(oneLine(error as NodeJS.ErrnoException, seeHelp));
    throw error;
  }
}
