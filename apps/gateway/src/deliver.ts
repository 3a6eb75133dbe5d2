import type { Delivery } from '@gamebuddies/room-host';
import type { ClientToServerEvents, ServerToClientEvents } from '@gamebuddies/protocol';
import type { Server } from 'socket.io';

/** The Socket.IO room that holds every connection of one player. */
export function playerChannel(playerId: string): string {
  return `player:${playerId}`;
}

/** Sends the room host's deliveries as Socket.IO pushes, each to the connections of its one player. */
export function socketDelivery(io: Server<ClientToServerEvents, ServerToClientEvents>): (deliveries: Delivery[]) => void {
  return (deliveries) => {
    for (const delivery of deliveries) {
      const to = io.to(playerChannel(delivery.to));
      switch (delivery.kind) {
        case 'state':
          to.emit('room:state', delivery.snapshot);
          break;
        case 'event':
          to.emit('game:event', delivery.event);
          break;
        case 'member':
          to.emit('room:member', delivery.change);
          break;
        case 'closed':
          to.emit('room:closed', delivery.closed);
          break;
      }
    }
  };
}
