import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configHelp, loadConfig, textPortNeedsToken } from '../../../emulator/push/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('push server configuration', () => {
  it('runs on embedded defaults: the reference ports, loopback, one process, API shut', () => {
    const c = loadConfig(['start'], {});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 1234, textHost: '127.0.0.1', textPort: 5678, count: 1, token: undefined });
    expect(c.limits.maxMessageBytes).toBe(1048576);
    expect(textPortNeedsToken(c)).toBe(false);
  });

  it('reads MAX_CONNECTIONS (10000) and IDENTIFY_TIMEOUT_SECONDS (10; 0 = off)', () => {
    expect([loadConfig([], {}).maxConnections, loadConfig([], {}).limits.identifyTimeoutSeconds]).toEqual([10_000, 10]);
    const c = loadConfig(['--max-connections', '50', '--identify-timeout-seconds=0'], {});
    expect([c.maxConnections, c.limits.identifyTimeoutSeconds]).toEqual([50, 0]);
    expect(loadConfig([], { MAX_CONNECTIONS: '7', IDENTIFY_TIMEOUT_SECONDS: '3' })).toMatchObject({ maxConnections: 7, limits: { identifyTimeoutSeconds: 3 } });
    expect(() => loadConfig(['--max-connections', '0'], {})).toThrow(/^MAX_CONNECTIONS must be a whole number from 1/);
    expect(configHelp()).toContain('--identify-timeout-seconds');
  });

  it('lets flags beat the environment, which beats the config file', () => {
    const path = file('a.json', JSON.stringify({ PORT: 7000, TEXT_PORT: 7001, COUNT: 3, MAX_BATCH: 5 }));
    const c = loadConfig(['start', '-d', '--port', '9000', '--count=2', '--config', path], { TEXT_PORT: '8001', PUSH_TOKEN: 'env-token' });
    expect(c).toMatchObject({ port: 9000, textPort: 8001, count: 2, token: 'env-token' });
    expect(c.limits.maxBatch).toBe(5);
    expect(loadConfig(['--token', 'flag-token'], { PUSH_TOKEN: 'env-token' }).token).toBe('flag-token');
    expect(loadConfig([], { PUSHPORT_CONFIG: path }).port).toBe(7000);
  });

  it.each([
    [['--prot', '9'], {}, 'unknown option --prot (see pushport --help)'],
    [['--port'], {}, '--port needs a value'],
    [['--port', '--count', '2'], {}, '--port needs a value'],
    [['--port', 'http'], {}, 'PORT must be a whole number from 0 to 65535, got "http"'],
    [['--count', '0'], {}, 'COUNT must be a whole number from 1 to 64, got "0"'],
    [[], { MAX_UID_BYTES: 'x' }, 'MAX_UID_BYTES must be a positive whole number, got "x"'],
    [['--port', '5678', '--text-port', '5678'], {}, 'PORT and TEXT_PORT are both 5678; they must differ'],
    [['--port', '62000'], {}, 'TEXT_PORT defaults to PORT + 4444, which is over 65535 for PORT 62000: set TEXT_PORT (--text-port)'],
    [['--text-host', '0.0.0.0'], {}, /would let anyone push: set PUSH_TOKEN/],
  ] as const)('refuses %j %j with one clear line', (args, env, error) => {
    expect(() => loadConfig([...args], env)).toThrow(error);
  });

  it('puts the text port at PORT + 4444 when none is given, so a second server needs only --port', () => {
    expect(loadConfig(['--port', '9000'], {}).textPort).toBe(13444);
    expect(loadConfig([], { PORT: '2000' }).textPort).toBe(6444);
    expect(loadConfig(['--port', '9000', '--text-port', '9001'], {}).textPort).toBe(9001);
    expect(loadConfig(['--port', '9000'], { TEXT_PORT: '7000' }).textPort).toBe(7000);
    expect(loadConfig(['--port', '0'], {}).textPort).toBe(0);
    expect(configHelp()).toContain('PORT + 4444');
  });

  it('needs the token on the text port only beyond loopback', () => {
    expect(textPortNeedsToken(loadConfig(['--text-host', '0.0.0.0', '--token', 't'], {}))).toBe(true);
    expect(textPortNeedsToken(loadConfig(['--text-host', '127.0.0.2'], {}))).toBe(false);
  });

  it('names a bad config file and a bad key in it', () => {
    expect(() => loadConfig(['--config', join(dir, 'missing.json')], {})).toThrow(/cannot read config file .*missing\.json/);
    expect(() => loadConfig(['--config', file('b.json', '[1]')], {})).toThrow(/must hold a JSON object/);
    expect(() => loadConfig(['--config', file('c.json', '{"PROT": 1}')], {})).toThrow(/unknown setting PROT in .*c\.json/);
    const bad = file('d.json', '{"PORT": "http"}');
    expect(() => loadConfig(['--config', bad], {})).toThrow(`PORT must be a whole number from 0 to 65535, got "http" (in ${bad})`);
    // Overridden by the environment or a flag, the file's value is not the one at fault.
    expect(() => loadConfig(['--config', bad, '--port', 'x'], {})).toThrow(/got "x"$/);
    expect(loadConfig(['--config', bad], { PORT: '7001' }).port).toBe(7001);
  });

  it('documents every setting in --help', () => {
    for (const flag of ['--port', '--text-port', '--host', '--text-host', '--count', '--push-token', '--client-secret', '--max-message-bytes']) {
      expect(configHelp()).toContain(flag);
    }
  });
});
