import type { ServerToClientEvents } from '@gamebuddies/protocol';
import type { Delivery } from '@gamebuddies/room-host';
import type { GatewayServer, GatewaySocket } from './socket-types';

/** The Socket.IO room that holds every connection of one player on this gateway. */
export function playerChannel(playerId: string): string {
  return `player:${playerId}`;
}

/**
 * Sends the room host's deliveries straight to the sockets of their players that are connected to this
 * gateway: no adapter, no Redis. Players connected elsewhere get the same deliveries from their own gateway,
 * which receives them with the change's notification (`RoomHostOptions.sharesDeliveries`).
 *
 * Each push is encoded once, as the Socket.IO EVENT packet `2["<event>",<payload>]` that `socket.emit` would
 * make (the deliveries are plain JSON: no binary parts, no acknowledgement), and handed to the connection's
 * Engine.IO socket, whose queue keeps it in order with everything else sent on that connection. A payload
 * shared by several deliveries (a member change goes to every member) is encoded only once.
 */
export function localDelivery(io: GatewayServer): (deliveries: Delivery[]) => void {
  const namespace = io.of('/');
  return (deliveries) => {
    let encoded: Map<object, string> | undefined;
    for (const delivery of deliveries) {
      const ids = namespace.adapter.rooms.get(playerChannel(delivery.to));
      if (ids === undefined) continue;
      const [event, payload] = pushOf(delivery);
      let packet = encoded?.get(payload);
      if (packet === undefined) {
        packet = `2${JSON.stringify([event, payload])}`;
        (encoded ??= new Map()).set(payload, packet);
      }
      for (const id of ids) {
        const socket: GatewaySocket | undefined = namespace.sockets.get(id);
        if (socket?.connected === true) socket.conn.write(packet);
      }
    }
  };
}

/** The Socket.IO event a delivery is pushed as, and its payload. */
function pushOf(delivery: Delivery): [keyof ServerToClientEvents, object] {
  switch (delivery.kind) {
    case 'view':
      return ['room:view', delivery.update];
    case 'state':
      return ['room:state', delivery.snapshot];
    case 'event':
      return ['game:event', delivery.event];
    case 'member':
      return ['room:member', delivery.change];
    case 'closed':
      return ['room:closed', delivery.closed];
  }
}
