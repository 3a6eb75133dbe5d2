import { MemoryRoomBackend, MemoryRoomStore } from '@gamebuddies/room-store';
import { MemorySessionBackend, MemorySessionStore } from '@gamebuddies/session-store';
import { Membership, RoomHost, type PlayerIdentity } from '../src';
import { storedMembers } from './stored-members';
import { tickGame } from './tick-game';

/** One room per player: the session's claim and the room's members, across failures between the two writes. */
describe('Membership', () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  let host: RoomHost;
  let sessions: MemorySessionStore;
  let membership: Membership;
  let rooms: MemoryRoomStore;

  async function player(name: string): Promise<PlayerIdentity> {
    const { token, session } = await sessions.create({ displayName: name });
    return { token, playerId: session.playerId, name };
  }

  beforeEach(() => {
    rooms = new MemoryRoomStore({ backend: new MemoryRoomBackend() });
    host = new RoomHost({ roomStore: rooms, games: [tickGame], deliver: () => undefined });
    sessions = new MemorySessionStore({ backend: new MemorySessionBackend({ clock }) });
    membership = new Membership({ host, sessions, clock, claimWindowMs: 10_000 });
  });
  afterEach(async () => {
    await host.close();
    await sessions.close();
  });

  it('seats a player in exactly one room when a create and a join race', async () => {
    const owner = await player('Owner');
    const target = await membership.create(owner, { gameId: 'tick' });
    const ann = await player('Ann');
    const results = await Promise.allSettled([membership.create(ann, { gameId: 'tick' }), membership.join(ann, target.code)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['ALREADY_IN_ROOM', 'ROOM_BUSY']).toContain((refused.reason as { code: string }).code);
    const page = await rooms.list();
    expect(page.rooms.filter((r) => storedMembers(r).some((m) => m.id === ann.playerId))).toHaveLength(1);
  });

  it('treats a fresh claim on a room that does not exist yet as a create under way, and an old one as a left-over', async () => {
    const ann = await player('Ann');
    // A crash between the claim and the create: the session names a room nobody made.
    await sessions.bindRoom(ann.token, 'ZZZZZZ', { ifRoomIs: null });
    await expect(membership.create(ann, { gameId: 'tick' })).rejects.toMatchObject({ code: 'ROOM_BUSY' });
    expect(await membership.currentRoom(ann)).toBeNull();
    expect((await sessions.get(ann.token))?.roomCode).toBe('ZZZZZZ');
    now += 10_001;
    const room = await membership.create(ann, { gameId: 'tick' });
    expect((await sessions.get(ann.token))?.roomCode).toBe(room.code);
    expect(await membership.currentRoom(ann)).toBe(room.code);
  });

  it('gives the claim back when the join is refused, and keeps the player free', async () => {
    const ann = await player('Ann');
    await expect(membership.join(ann, 'QQQQQQ')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    expect((await sessions.get(ann.token))?.roomCode).toBeNull();
    const room = await membership.create(ann, { gameId: 'tick' });
    expect(room.members.map((m) => m.id)).toEqual([ann.playerId]);
  });

  it('lets a kicked player move on: the session still names the room, the room says no', async () => {
    const owner = await player('Owner');
    const ann = await player('Ann');
    const room = await membership.create(owner, { gameId: 'tick' });
    await membership.join(ann, room.code);
    await host.kick(room.code, owner.playerId, ann.playerId);
    now += 10_001;
    expect(await membership.currentRoom(ann)).toBeNull();
    expect((await sessions.get(ann.token))?.roomCode).toBeNull();
    await membership.create(ann, { gameId: 'tick' });
  });

  it('refuses a second room while the player is in one, naming it', async () => {
    const ann = await player('Ann');
    const room = await membership.create(ann, { gameId: 'tick' });
    await expect(membership.create(ann, { gameId: 'tick' })).rejects.toMatchObject({ code: 'ALREADY_IN_ROOM', details: { room: room.code } });
    expect(await membership.leave(ann)).toEqual({ code: room.code });
    await expect(membership.leave(ann)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });

  it('answers SESSION_REQUIRED, changing nothing, once the session is gone', async () => {
    const ann = await player('Ann');
    await sessions.destroy(ann.token);
    await expect(membership.create(ann, { gameId: 'tick' })).rejects.toMatchObject({ code: 'SESSION_REQUIRED' });
    expect(await rooms.count()).toBe(0);
  });
});
