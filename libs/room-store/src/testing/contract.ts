import type { RoomStore } from '../room-store';
import { describeConcurrency } from './concurrency.contract';
import { describeDamage } from './damage.contract';
import { describeFaults } from './faults.contract';
import type { ContractContext, ContractStoreOptions, RoomStoreContractOptions, RoomStoreTestBackend } from './harness';
import { describeExpiry } from './expiry.contract';
import { describeLeases } from './leases.contract';
import { describeListing } from './listing.contract';
import { describeNotifications } from './notifications.contract';
import { describeOutage } from './outage.contract';
import { describeRecords } from './records.contract';

/**
 * Registers the room store contract (Jest or Vitest globals: describe, it, expect, beforeAll, afterAll,
 * afterEach) against one implementation. Every implementation of `RoomStore` must pass it unchanged.
 *
 * @example
 * describeRoomStoreContract({ name: 'memory', setup: async () => myBackend() });
 */
export function describeRoomStoreContract(options: RoomStoreContractOptions): void {
  let backend: RoomStoreTestBackend | undefined;
  let open: RoomStore[] = [];
  let testNumber = 0;
  let namespace = '';

  const make = async (storeOptions: ContractStoreOptions): Promise<RoomStore> => {
    if (backend === undefined) throw new Error('the backend is not set up');
    const store = await backend.createStore(storeOptions);
    open.push(store);
    return store;
  };

  const ctx: ContractContext = {
    backend: () => {
      if (backend === undefined) throw new Error('the backend is not set up');
      return backend;
    },
    stores: (count, storeOptions = {}) => Promise.all(Array.from({ length: count }, () => make({ ...storeOptions, namespace }))),
    store: (storeOptions = {}) => make({ ...storeOptions, namespace }),
    storeIn: (other, storeOptions = {}) => make({ ...storeOptions, namespace: other }),
    namespace: () => namespace,
    outageBoundMs: options.outageBoundMs ?? 5000,
  };

  describe(`RoomStore contract: ${options.name}`, () => {
    beforeAll(async () => {
      backend = await options.setup();
    }, 30_000);

    beforeEach(() => {
      testNumber += 1;
      namespace = `contract-${process.pid}-${testNumber}:`;
    });

    afterEach(async () => {
      const closing = open;
      open = [];
      await Promise.all(closing.map((store) => store.close()));
    });

    afterAll(async () => {
      await backend?.dispose();
    }, 30_000);

    describeRecords(ctx);
    describeDamage(ctx);
    describeConcurrency(ctx);
    describeExpiry(ctx);
    describeListing(ctx);
    describeLeases(ctx);
    describeNotifications(ctx);
    describeOutage(ctx);
    describeFaults(ctx);
  });
}
