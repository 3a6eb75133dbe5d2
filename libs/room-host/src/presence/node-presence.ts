/** A player's place on a gateway: in room `code`, connected to the gateway that recorded it. */
export interface PresenceEntry {
  code: string;
  playerId: string;
}

/**
 * Which gateway holds which players' connections, and which gateways are alive. A gateway that dies without
 * a goodbye (kill -9, a lost machine) stops renewing its heartbeat; a survivor then finds it dead, takes
 * over its entries once, and marks those players disconnected unless they came back elsewhere.
 */
export interface NodePresence {
  /**
   * Renews this node's heartbeat: it counts as alive until `now + ttlMs`. Resolves false when the node was
   * not known (its first beat, or it was found dead and taken over while it was frozen).
   */
  heartbeat(nodeId: string, ttlMs: number): Promise<boolean>;
  /** Records that a player is connected here in a room. */
  add(nodeId: string, entry: PresenceEntry): Promise<void>;
  /** Forgets it (the player left the room or their last connection here closed). */
  remove(nodeId: string, entry: PresenceEntry): Promise<void>;
  /** Whether any live node has this player connected in this room. */
  isPresent(entry: PresenceEntry): Promise<boolean>;
  /**
   * Takes over the entries of nodes whose heartbeat ran out: each dead node is claimed by exactly one caller,
   * which receives its entries (and the node's records are removed).
   */
  claimDead(): Promise<{ nodeId: string; entries: PresenceEntry[] }[]>;
  /** Says goodbye: the node counts as dead after `graceMs` (its players get that long to reconnect elsewhere). */
  leave(nodeId: string, graceMs: number): Promise<void>;
}
