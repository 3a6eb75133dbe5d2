import type { SessionStore } from '../session-store';
import { describeConcurrency } from './concurrency.contract';
import { describeCounting } from './counting.contract';
import { describeDamage } from './damage.contract';
import { describeExpiry } from './expiry.contract';
import { describeFaults } from './faults.contract';
import type { ContractContext, ContractStoreOptions, SessionStoreContractOptions, SessionStoreTestBackend } from './harness';
import { describeInput } from './input.contract';
import { describeMembership } from './membership.contract';
import { describeOutage } from './outage.contract';
import { describeSessions } from './sessions.contract';
import { describeTokens } from './tokens.contract';

/**
 * Registers the session store contract (Jest or Vitest globals: describe, it, expect, beforeAll, afterAll,
 * beforeEach, afterEach) against one implementation. Every implementation of `SessionStore` must pass it
 * unchanged. Each test works in a namespace of its own, and the stores it made are closed after it.
 *
 * @example
 * describeSessionStoreContract({ name: 'memory', setup: async () => new MemorySessionStoreTestBackend() });
 */
export function describeSessionStoreContract(options: SessionStoreContractOptions): void {
  let backend: SessionStoreTestBackend | undefined;
  let opened: SessionStore[] = [];
  let namespace = '';
  let tests = 0;

  const setUpBackend = (): SessionStoreTestBackend => {
    if (backend === undefined) throw new Error('the session store test backend is not set up');
    return backend;
  };
  const open = async (storeOptions: ContractStoreOptions): Promise<SessionStore> => {
    const store = await setUpBackend().createStore(storeOptions);
    opened.push(store);
    return store;
  };

  const ctx: ContractContext = {
    backend: setUpBackend,
    store: (storeOptions = {}) => open({ ...storeOptions, namespace }),
    stores: (count, storeOptions = {}) => Promise.all(Array.from({ length: count }, () => open({ ...storeOptions, namespace }))),
    storeIn: (other, storeOptions = {}) => open({ ...storeOptions, namespace: other }),
    namespace: () => namespace,
    outageBoundMs: options.outageBoundMs ?? 5000,
  };

  describe(`SessionStore contract: ${options.name}`, () => {
    beforeAll(async () => {
      backend = await options.setup();
    }, 30_000);

    beforeEach(() => {
      tests += 1;
      namespace = `session-contract-${process.pid}-${tests}:`;
    });

    afterEach(async () => {
      const closing = opened;
      opened = [];
      await Promise.all(closing.map((store) => store.close()));
    });

    afterAll(async () => {
      await backend?.dispose();
    }, 30_000);

    describeSessions(ctx);
    describeTokens(ctx);
    describeInput(ctx);
    describeExpiry(ctx);
    describeMembership(ctx);
    describeConcurrency(ctx);
    describeDamage(ctx);
    describeCounting(ctx);
    describeOutage(ctx);
    describeFaults(ctx);
  });
}
