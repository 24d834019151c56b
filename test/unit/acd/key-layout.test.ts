import { ACD_KEY_LAYOUT, AcdKeys, DEFAULT_ACD_PREFIX, type AcdKeyName } from '../../../src/acd/keys';

/** The part of a key Redis Cluster hashes: the first non-empty `{…}`, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return key.slice(open + 1, close);
  }
  return key;
}

describe('ACD key layout on Redis Cluster', () => {
  const keys = new AcdKeys();
  const sample = (name: AcdKeyName): string => {
    const parts = (ACD_KEY_LAYOUT[name].match(/\{[A-Za-z]+\}/g) ?? []).map((_, i) => `part${i}`);
    return keys.get(name, ...parts);
  };

  it('the default prefix is hash-tagged', () => {
    expect(DEFAULT_ACD_PREFIX).toBe('sb:{acd}:');
  });

  it.each(Object.keys(ACD_KEY_LAYOUT) as AcdKeyName[])('%s hashes to the slot of "acd", like every other ACD key', (name) => {
    expect(hashTag(sample(name))).toBe('acd');
  });
});
