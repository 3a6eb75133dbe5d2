import type { BotTransport } from '../types';
import type { BotConnectionFactory } from './bot-connection';
import { createLightConnection } from './light';
import { createSocketIoClientConnection } from './socket-io-client';

export * from './bot-connection';
export { LightConnection, createLightConnection } from './light';
export { SocketIoClientConnection, createSocketIoClientConnection } from './socket-io-client';

/** The connection factory of a transport. */
export function connectionFactory(transport: BotTransport): BotConnectionFactory {
  return transport === 'light' ? createLightConnection : createSocketIoClientConnection;
}
