import { z } from 'zod';

/** The options of a Crazy Eights room; every field has a default. */
export const eightsOptionsSchema = z.object({
  /** Cards dealt to each player; by default 7 with two players, 5 with more. */
  handSize: z.number().int().min(3).max(8).optional(),
  /** Seconds a player has for a turn before the game draws and passes for them; 0 means no limit. */
  turnSeconds: z.number().int().min(0).max(300).default(30),
});

/** The options of a Crazy Eights room, after defaults. */
export type EightsOptions = z.output<typeof eightsOptionsSchema>;
