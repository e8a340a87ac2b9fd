import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { secretParamValues } from '../../../runner/redact/index.js';

describe('secretParamValues', () => {
  const schema = z.object({
    domain: z.string(),
    password: z.string().meta({ secret: true }),
    token: z.string().meta({ secret: true }).optional(),
    pin: z.number().optional().meta({ secret: true }),
    apiKey: z.string().default('dflt-key').meta({ secret: true }),
    db: z.object({ host: z.string(), pass: z.string().meta({ secret: true }) }).optional(),
    keys: z.array(z.string()).meta({ secret: true }).optional(),
  });

  it('finds the values of fields marked secret, through wrappers and nested objects', () => {
    const params = schema.parse({
      domain: 'shop.example.com',
      password: 'pw-1',
      pin: 1234,
      db: { host: 'db1', pass: 'pw-2' },
      keys: ['k1', 'k2'],
    });
    expect(secretParamValues(schema, params).sort()).toEqual(['1234', 'dflt-key', 'k1', 'k2', 'pw-1', 'pw-2']);
  });

  it('returns nothing for a schema without secrets', () => {
    expect(secretParamValues(z.object({ a: z.string() }), { a: 'x' })).toEqual([]);
  });

  it('looks through a transform on the whole object', () => {
    const piped = z.object({ p: z.string().meta({ secret: true }) }).transform((v) => ({ ...v, extra: 1 }));
    expect(secretParamValues(piped, { p: 'pw-3' })).toEqual(['pw-3']);
  });
});
