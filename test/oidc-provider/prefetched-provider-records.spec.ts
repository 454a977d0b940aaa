import { PrefetchedProviderRecords } from '../../lib/oidc-provider/prefetched-provider-records.js';
import type { StoredProviderRecord } from '../../lib/oidc-provider/sql-provider-state.js';

function record(id: string, json = '{}'): StoredProviderRecord {
  return { id, json, consumedAt: null, expiresAt: null };
}

describe('PrefetchedProviderRecords', () => {
  let now: number;
  let records: PrefetchedProviderRecords;

  beforeEach(() => {
    now = 1000;
    records = new PrefetchedProviderRecords({ maxRecords: 3, maxAgeMs: 1000, clock: () => now });
  });

  function hold(model: string, id: string, json?: string): void {
    records.hold(model, 'id', id, record(id, json), records.generation(model));
  }

  it('gives a record out once per read, the latest read each time', () => {
    hold('Grant', 'g1', '{"a":1}');
    hold('Grant', 'g1', '{"a":2}');
    expect(records.take('Grant', 'id', 'g1')?.json).toBe('{"a":2}');
    expect(records.take('Grant', 'id', 'g1')?.json).toBe('{"a":2}');
    expect(records.take('Grant', 'id', 'g1')).toBeUndefined();
    expect(records.take('Grant', 'uid', 'g1')).toBeUndefined();
    expect(records.take('Session', 'id', 'g1')).toBeUndefined();
  });

  it('gives nothing out once a record waited longer than its age, and drops it', () => {
    hold('Grant', 'g1');
    now += 1001;
    expect(records.take('Grant', 'id', 'g1')).toBeUndefined();
    hold('Grant', 'g2');
    now += 600;
    hold('Grant', 'g3');
    now += 600;
    hold('Grant', 'g4');
    expect(records.size('Grant')).toBe(2);
    expect(records.take('Grant', 'id', 'g2')).toBeUndefined();
    expect(records.take('Grant', 'id', 'g3')?.id).toBe('g3');
  });

  it('drops every record of a model written since, and refuses reads that began before the write', () => {
    hold('Grant', 'g1');
    hold('Session', 's1');
    const before = records.generation('Grant');
    records.written('Grant');
    expect(records.take('Grant', 'id', 'g1')).toBeUndefined();
    records.hold('Grant', 'id', 'g2', record('g2'), before);
    expect(records.size('Grant')).toBe(0);
    expect(records.take('Session', 'id', 's1')?.id).toBe('s1');
  });

  it('holds at most maxRecords per model, the oldest out', () => {
    for (const id of ['g1', 'g2', 'g3', 'g4']) hold('Grant', id);
    hold('Session', 's1');
    expect(records.size('Grant')).toBe(3);
    expect(records.take('Grant', 'id', 'g1')).toBeUndefined();
    expect(records.take('Grant', 'id', 'g4')?.id).toBe('g4');
    expect(records.size('Session')).toBe(1);
  });
});
