/**
 * A tour of the session store. In memory (no services):
 *   npx tsx --tsconfig tsconfig.base.json libs/session-store/examples/sessions.ts
 * On Redis (any redis-server you can reach):
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx --tsconfig tsconfig.base.json libs/session-store/examples/sessions.ts
 */
import { connectRedis } from '@gamebuddies/redis-connection';
// Outside this repository, import these from '@gamebuddies/session-store'.
import { generateSessionToken, isGameBuddiesError, MemorySessionStore, RedisSessionStore, type SessionStore } from '../src';

/** Prints one line of the example's output. */
function say(...parts: unknown[]): void {
  process.stdout.write(`${parts.map((part) => (typeof part === 'object' ? JSON.stringify(part) : String(part))).join(' ')}\n`);
}

async function tour(store: SessionStore): Promise<void> {
  // The token goes to the client once (e.g. in a cookie); the store keeps only its SHA-256. Making it here
  // makes create idempotent: retried after a lost reply (STORE_UNAVAILABLE, outcome unknown), the same call
  // returns the session the first attempt stored instead of making a second.
  const input = { displayName: 'Alice', data: { avatar: 'fox' }, token: generateSessionToken() };
  const { token, session } = await store.create(input);
  const retried = await store.create(input);
  say('created', session);
  say('a repeated create returns the same session:', retried.session.sessionId === session.sessionId);

  // On reconnect the client presents its token; an unknown or expired one gives null.
  const again = await store.get(token);
  say('found by token:', again?.sessionId === session.sessionId);

  // Compare-and-set: bind only if the session is in no room, so a second tab cannot join another room.
  await store.bindRoom(token, 'QUIZ42', { ifRoomIs: null });
  try {
    await store.bindRoom(token, 'OTHER1', { ifRoomIs: null });
  } catch (error) {
    if (isGameBuddiesError(error, 'ROOM_BINDING_CONFLICT')) say('second tab refused; the session is in', error.details?.['actual']);
    else throw error;
  }
  const renamed = await store.update(token, { displayName: 'Alice the Great' });
  say('bound and renamed', { roomCode: renamed.roomCode, displayName: renamed.displayName });

  const touched = await store.touch(token);
  say('seen again; expires at', new Date(touched.expiresAt).toISOString());
  say('live sessions:', await store.count());

  await store.destroy(token);
  try {
    await store.touch(token);
  } catch (error) {
    if (isGameBuddiesError(error, 'SESSION_NOT_FOUND')) say('after destroy:', error.code);
    else throw error;
  }
}

async function main(): Promise<void> {
  const url = process.env['REDIS_URL'];
  if (url === undefined) {
    say('-- in memory (set REDIS_URL to use Redis)');
    await tour(new MemorySessionStore());
    return;
  }
  say(`-- on Redis at ${url}`);
  const client = await connectRedis(url);
  const store = new RedisSessionStore({ client, keyPrefix: 'example:' });
  try {
    await tour(store);
  } finally {
    await store.close();
    client.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
