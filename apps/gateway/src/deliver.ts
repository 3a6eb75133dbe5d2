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
 */
export function localDelivery(io: GatewayServer): (deliveries: Delivery[]) => void {
  const namespace = io.of('/');
  const socketsOf = (playerId: string): GatewaySocket[] => {
    const ids = namespace.adapter.rooms.get(playerChannel(playerId));
    if (ids === undefined) return [];
    const sockets: GatewaySocket[] = [];
    for (const id of ids) {
      const socket = namespace.sockets.get(id);
      if (socket !== undefined) sockets.push(socket);
    }
    return sockets;
  };
  return (deliveries) => {
    for (const delivery of deliveries) {
      for (const socket of socketsOf(delivery.to)) send(socket, delivery);
    }
  };
}

function send(socket: GatewaySocket, delivery: Delivery): void {
  switch (delivery.kind) {
    case 'view':
      socket.emit('room:view', delivery.update);
      break;
    case 'state':
      socket.emit('room:state', delivery.snapshot);
      break;
    case 'event':
      socket.emit('game:event', delivery.event);
      break;
    case 'member':
      socket.emit('room:member', delivery.change);
      break;
    case 'closed':
      socket.emit('room:closed', delivery.closed);
      break;
  }
}
