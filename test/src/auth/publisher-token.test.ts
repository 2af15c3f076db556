import { describe, expect, it } from 'vitest';
import { checkBearer, secretsEqual } from '../../../src/index.ts';

describe('publisher token', () => {
  it('accepts only the exact token', async () => {
    expect(await secretsEqual('s3cret', 's3cret')).toBe(true);
    expect(await secretsEqual('s3cret', 's3creT')).toBe(false);
    expect(await secretsEqual('s3cret', 's3cret-longer')).toBe(false);
    expect(await secretsEqual('', 'x')).toBe(false);
  });

  it('reads the Authorization header', async () => {
    expect(await checkBearer('Bearer tok', 'tok')).toBe('ok');
    expect(await checkBearer('bearer   tok', 'tok')).toBe('ok');
    expect(await checkBearer('Bearer wrong', 'tok')).toBe('invalid');
    expect(await checkBearer('Basic dG9r', 'tok')).toBe('missing');
    expect(await checkBearer(null, 'tok')).toBe('missing');
    expect(await checkBearer('Bearer tok', undefined)).toBe('unconfigured');
    expect(await checkBearer('Bearer ', '')).toBe('unconfigured');
  });
});
