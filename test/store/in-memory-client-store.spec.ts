import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import { describeClientStoreContract } from './client-store.contract.js';

describeClientStoreContract('in-memory', async () => new InMemoryClientStore());
