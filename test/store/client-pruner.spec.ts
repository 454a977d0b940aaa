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
    expect(await pruner.prune(5000)).toEqual({ clients: 1, tokens: 0 });
    expect(await store.findById('c-idle')).toBeUndefined();
    expect(await store.findById('c-used')).toBeDefined();
    expect(await store.findById('c-young')).toBeDefined();
  });

  it('deletes no client when no max idle time is set', async () => {
    const { pruner, store } = await pruningModule({});
    await store.create(sampleClient('c-ancient', { clientIdIssuedAt: 1 }));
    expect(await pruner.prune()).toEqual({ clients: 0, tokens: 0 });
    expect(await store.findById('c-ancient')).toBeDefined();
  });

  it('sweeps expired and spent initial access tokens and expired statement ids', async () => {
    const { pruner, store } = await pruningModule({});
    await store.saveInitialAccessToken({
      tokenHash: 'expired',
      expiresAt: 100,
      maxUses: 0,
      uses: 0,
    });
    await store.saveInitialAccessToken({ tokenHash: 'spent', expiresAt: 0, maxUses: 1, uses: 1 });
    await store.saveInitialAccessToken({ tokenHash: 'live', expiresAt: 0, maxUses: 2, uses: 1 });
    await store.rememberSoftwareStatementId('iss|old', 100, 50);
    await store.rememberSoftwareStatementId('iss|new', 900, 50);
    expect(await pruner.prune(500)).toEqual({ clients: 0, tokens: 3 });
    expect(await store.consumeInitialAccessToken('live', 500)).toBeDefined();
    expect(await store.rememberSoftwareStatementId('iss|new', 900, 500)).toBe(false);
  });
});
