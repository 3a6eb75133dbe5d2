/** One player's line of the score sheet. */
export interface PartyScore {
  name: string;
  score: number;
  /** Answers given so far. */
  answers: number;
  /** Left the room while the game ran: no longer waited for, kept in the standings. */
  hasLeft: boolean;
}

/** The whole party-bench state, plain data. Nothing in it is secret except the salt of the right choices. */
export interface PartyBenchState {
  /** Mixed with the round number to pick each round's right choice (drawn from the room's seeded random). */
  salt: number;
  /** Answers given in the room so far, by everyone. */
  answers: number;
  /** The seated players' scores, by player id. */
  scores: Record<string, PartyScore>;
  /** The best score's holder (the first to reach it), or null before the first point. */
  leaderId: string | null;
}

/** One line of the final standings. */
export interface PartyStanding {
  playerId: string;
  name: string;
  score: number;
  answers: number;
  /** 1 for the best score; equal scores share a rank. */
  rank: number;
}

/** The game's result. */
export interface PartyBenchResult {
  standings: PartyStanding[];
  /** Answers given in the whole game. */
  answers: number;
}
