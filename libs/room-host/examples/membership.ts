// A tour of Membership: one room per player, even with two "tabs" on one session. Run: npx tsx libs/room-host/examples/membership.ts
import { MemoryRoomStore } from '@gamebuddies/room-store';
import { MemorySessionStore } from '@gamebuddies/session-store';
import { schoolQuiz } from '@gamebuddies/school-quiz';
import { Membership, RoomHost } from '../src';

const say = (line: string): boolean => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const host = new RoomHost({ roomStore: new MemoryRoomStore(), games: [schoolQuiz], deliver: () => undefined });
  const sessions = new MemorySessionStore();
  const membership = new Membership({ host, sessions });

  const { token, session } = await sessions.create({ displayName: 'Ann' });
  const ann = { token, playerId: session.playerId, name: 'Ann' };
  const other = await sessions.create({ displayName: 'Bob' });
  const bobsRoom = await membership.create({ token: other.token, playerId: other.session.playerId, name: 'Bob' }, { gameId: 'school-quiz' });

  // Two tabs race: one creates a room, the other joins Bob's. Exactly one wins.
  const results = await Promise.allSettled([membership.create(ann, { gameId: 'school-quiz' }), membership.join(ann, bobsRoom.code)]);
  for (const result of results) say(result.status === 'fulfilled' ? `seated in ${result.value.code}` : `refused: ${(result.reason as { code: string }).code}`);
  say(`Ann is in ${await membership.currentRoom(ann)}`);
  say(`left ${(await membership.leave(ann)).code}; now in ${String(await membership.currentRoom(ann))}`);
  await host.close();
  await sessions.close();
}

void main();
