import { MemoryRoomBackend, MemoryRoomStore } from './memory';
import { contentSum, ROOM_SCHEMA_VERSION } from './room-fields';
import { describeRoomStoreContract, MemoryRoomStoreTestBackend } from './testing';

describeRoomStoreContract({ name: 'memory', setup: async () => new MemoryRoomStoreTestBackend() });

describe('MemoryRoomStore', () => {
  it('drops the players list of a version-1 record on its next update, and stores it as this version', async () => {
    const backend = new MemoryRoomBackend();
    const store = new MemoryRoomStore({ backend, sweepIntervalMs: 0 });
    const room = await store.create({ gameId: 'g', state: { members: [] } });
    const players = '[{"id":"p-ann","name":"Ann","seat":0,"isConnected":true}]';
    for (const [field, value] of [['schema', '1'], ['players', players], ['playersSum', contentSum(players)]] as const) {
      backend.corruptField('gb:', room.code, field, value);
    }
    expect(await store.get(room.code)).toEqual(room);
    await store.update(room.code, { state: { members: [{ id: 'p-ann' }] } }, { expectedVersion: 1 });
    const fields = backend.namespace('gb:').rooms.get(room.code)?.fields;
    expect(fields).toMatchObject({ schema: String(ROOM_SCHEMA_VERSION), version: '2' });
    expect(fields).not.toHaveProperty('players');
    expect(fields).not.toHaveProperty('playersSum');
    await store.close();
  });
});
