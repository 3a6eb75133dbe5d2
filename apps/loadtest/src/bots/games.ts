import type { BotGame } from '../types';
import { crazyEightsRules } from './crazy-eights-player';
import type { BotGameRules } from './game-player';
import { partyBenchRules } from './party-bench-player';
import { schoolQuizRules } from './school-quiz-player';

/** How bots play each game they know. */
export const BOT_GAMES: Readonly<Record<BotGame, BotGameRules>> = {
  'party-bench': partyBenchRules,
  'school-quiz': schoolQuizRules,
  'crazy-eights': crazyEightsRules,
};

/** The games bots can play, for flags and messages. */
export const BOT_GAME_IDS = Object.keys(BOT_GAMES) as BotGame[];
