import { describe, expect, it } from 'vitest';
import { checkBearer, secretsEqual } from '../../../src/index.ts';

describe('publisher token', () => {
  it('accepts only the exact token', () => {
    expect(secretsEqual('s3cret', 's3cret')).toBe(true);
    expect(secretsEqual('s3cre', 's3cret')).toBe(false);
    expect(secretsEqual('s3crex', 's3cret')).toBe(false);
    expect(secretsEqual('clé-✓', 'clé-✓')).toBe(true);
    expect(secretsEqual('clé-✗', 'clé-✓')).toBe(false);
    expect(secretsEqual('s3cret', 's3creT')).toBe(false);
    expect(secretsEqual('s3cret', 's3cret-longer')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
  });

  it('reads the Authorization header', () => {
    expect(checkBearer('Bearer tok', 'tok')).toBe('ok');
    expect(checkBearer('bearer   tok', 'tok')).toBe('ok');
    expect(checkBearer('Bearer wrong', 'tok')).toBe('invalid');
    expect(checkBearer('Basic dG9r', 'tok')).toBe('missing');
    expect(checkBearer(null, 'tok')).toBe('missing');
    expect(checkBearer('Bearer tok', undefined)).toBe('unconfigured');
    expect(checkBearer('Bearer ', '')).toBe('unconfigured');
  });
});
