import { Test } from '@nestjs/testing';
import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrModuleOptions } from '../../lib/dcr.options.js';
import { ClientPruner } from '../../lib/store/client-pruner.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { sampleClient } from './client-store.contract.js';

async function pruningModule(options: DcrModuleOptions) {
  const moduleRef = await Test.createTestingModule({
    imports: [DcrModule.forRoot(options)],
  }).compile();
  return { pruner: moduleRef.get(ClientPruner), store: moduleRef.get(ClientStore) };
}

describe('ClientPruner', () => {
  it('deletes clients idle longer than clientMaxIdleSeconds', async () => {
    const { pruner, store } = await pruningModule({ clientMaxIdleSeconds: 1000 });
    await store.create(sampleClient('c-idle', { clientIdIssuedAt: 1000 }));
    await store.create(sampleClient('c-used', { clientIdIssuedAt: 1000 }));
    await store.create(sampleClient('c-young', { clientIdIssuedAt: 4500 }));
    await store.markUsed('c-used', 4200);
    expect(await pruner.prune(5000)).toBe(1);
    expect(await store.findById('c-idle')).toBeUndefined();
    expect(await store.findById('c-used')).toBeDefined();
    expect(await store.findById('c-young')).toBeDefined();
  });

  it('deletes nothing when no max idle time is set', async () => {
    const { pruner, store } = await pruningModule({});
    await store.create(sampleClient('c-ancient', { clientIdIssuedAt: 1 }));
    expect(await pruner.prune()).toBe(0);
    expect(await store.findById('c-ancient')).toBeDefined();
  });
});
