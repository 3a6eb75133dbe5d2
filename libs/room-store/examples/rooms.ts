/**
 * A tour of the room store: create rooms, update one by compare-and-set, lose a race on purpose, take an
 * ownership lease, fence out a stale owner, list and count. In memory by default; set REDIS_URL (for example
 * redis://127.0.0.1:6379) to run the same code against Redis.
 *
 *   npm run example:rooms                                   # in memory
 *   REDIS_URL=redis://127.0.0.1:6379 npm run example:rooms  # on Redis
 */
import { connectRedis } from '@gamebuddies/redis-connection';
import { isGameBuddiesError, MemoryRoomStore, RedisRoomStore, updateWithRetry, type RoomPatch, type RoomRecord, type RoomStore } from '../src';

/** Prints one line of the example's output. */
function say(...parts: unknown[]): void {
  process.stdout.write(`${parts.map(String).join(' ')}\n`);
}

async function openStore(): Promise<{ store: RoomStore; close: () => Promise<void> }> {
  const url = process.env['REDIS_URL'];
  if (!url) return { store: new MemoryRoomStore(), close: async () => undefined };
  const client = await connectRedis(url);
  const store = new RedisRoomStore({ client, keyPrefix: 'gb-example:' });
  return { store, close: async () => void client.disconnect() };
}

async function main(): Promise<void> {
  const { store, close } = await openStore();
  say(`room store: ${store.constructor.name}`);
  const subscription = await store.subscribe((change) => say(`  change: ${change.type} ${change.code} v${change.version}`));

  const input = {
    gameId: 'school-quiz',
    options: { rounds: 3 },
    state: { phase: 'lobby', scores: {}, members: ['Ada'] },
    requestId: `example-${Date.now()}`,
  };
  const room = await store.create(input);
  say(`created room ${room.code} at version ${room.version}`);
  // A create retried with the same requestId (say, after a lost reply) returns the same room, not a second one.
  say(`the same create again answers room ${(await store.create(input)).code}`);

  const written = await store.update(room.code, { state: { phase: 'question', scores: { p1: 0 }, members: ['Ada'] } }, { expectedVersion: 1 });
  say(`updated to version ${written.version}`);

  try {
    await store.update(room.code, { state: { phase: 'stale' } }, { expectedVersion: 1 });
  } catch (error) {
    if (!isGameBuddiesError(error, 'VERSION_CONFLICT')) throw error;
    say(`a stale write was refused: ${error.code} (${error.message})`);
  }

  const lease = await store.acquireLease(room.code, 'node-a', 5000);
  if (!lease.isAcquired) throw new Error('the room should be free');
  say(`node-a owns ${room.code} with fencing token ${lease.lease.token}`);
  await store.releaseLease(room.code, lease.lease);
  const takeover = await store.acquireLease(room.code, 'node-b', 5000);
  if (!takeover.isAcquired) throw new Error('the room should be free');
  try {
    await store.update(room.code, { state: { phase: 'from node-a' } }, { expectedVersion: 2, fencingToken: lease.lease.token });
  } catch (error) {
    if (!isGameBuddiesError(error, 'LEASE_LOST')) throw error;
    say(`node-a's late write was fenced out: ${error.code}`);
  }

  const withGrace = (current: RoomRecord): RoomPatch => {
    const state = current.state as { members: string[] };
    return { state: { ...state, members: [...state.members, 'Grace'] } };
  };
  const final = await updateWithRetry(store, room.code, withGrace, { fencingToken: takeover.lease.token });
  say(`node-b seated Grace: version ${final.version}, members ${(final.state as { members: string[] }).members.join(', ')}`);

  await Promise.all(Array.from({ length: 4 }, () => store.create({ gameId: 'school-quiz' })));
  const page = await store.list({ limit: 3 });
  say(`rooms: ${await store.count()} in all; first page ${page.rooms.map((r) => r.code).join(', ')}${page.nextCursor ? ', more…' : ''}`);

  await new Promise((resolve) => setTimeout(resolve, 50));
  await subscription.unsubscribe();
  for (const r of (await store.list({ limit: 1000 })).rooms) await store.delete(r.code);
  await store.close();
  await close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
