import { z } from 'zod';

/** The options of a party-bench room; every field has a default. */
export const partyBenchOptionsSchema = z.object({
  /** How many of the room's players (in join order) play once the game starts; 1–100. */
  maxPlayers: z.number().int().min(1).max(100).default(10),
  /** Answers each player gives before the game ends; 0 plays on until the host ends it. */
  answersPerPlayer: z.number().int().min(0).max(1_000_000).default(0),
});

/** The options of a party-bench room, after defaults. */
export type PartyBenchOptions = z.output<typeof partyBenchOptionsSchema>;
