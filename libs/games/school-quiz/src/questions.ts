import { InvalidArgumentError } from '@gamebuddies/core';
import { z } from 'zod';
import schoolBasicsJson from './content/school-basics.json';

/** One multiple-choice question. `answer` is the index of the right choice: the secret of a round. */
export interface Question {
  id: string;
  category: string;
  prompt: string;
  choices: string[];
  answer: number;
}

/** A named set of questions, e.g. the content pack shipped with this lib. */
export interface QuestionPack {
  id: string;
  name: string;
  /** BCP 47 language tag, e.g. `en`. */
  language: string;
  questions: Question[];
}

/**
 * Where the quiz gets its questions. It is read once, synchronously, when the host starts a game; the chosen
 * questions are copied into the room state, so a restored room never needs the source again. A database can
 * serve packs by loading them ahead of time into {@link createMemoryQuestionSource}.
 */
export interface QuestionSource {
  /** The pack `packId`, or null when the source has none by that id. */
  getPack(packId: string): QuestionPack | null;
}

const questionSchema = z
  .object({
    id: z.string().min(1),
    category: z.string().min(1),
    prompt: z.string().min(1),
    choices: z.array(z.string().min(1)).min(2).max(6),
    answer: z.number().int().min(0),
  })
  .refine((question) => question.answer < question.choices.length, { message: 'answer must be the index of a choice', path: ['answer'] });

const packSchema = z
  .object({ id: z.string().min(1), name: z.string().min(1), language: z.string().min(2), questions: z.array(questionSchema).min(1) })
  .refine((pack) => new Set(pack.questions.map((question) => question.id)).size === pack.questions.length, {
    message: 'question ids must be unique',
    path: ['questions'],
  });

/**
 * Checks a pack read from JSON or a database.
 * @throws InvalidArgumentError naming each problem (missing fields, an answer that is not a choice, duplicate ids).
 */
export function parseQuestionPack(value: unknown): QuestionPack {
  const result = packSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'pack'}: ${issue.message}`);
    throw new InvalidArgumentError(`Invalid question pack: ${problems.join('; ')}`, { problems });
  }
  return result.data;
}

/**
 * A source that serves the given packs from memory.
 * @throws InvalidArgumentError when a pack is invalid or two packs share an id.
 */
export function createMemoryQuestionSource(packs: readonly unknown[]): QuestionSource {
  const byId = new Map<string, QuestionPack>();
  for (const pack of packs.map(parseQuestionPack)) {
    if (byId.has(pack.id)) throw new InvalidArgumentError(`Two question packs have the id ${pack.id}`);
    byId.set(pack.id, pack);
  }
  return { getPack: (packId) => byId.get(packId) ?? null };
}

/** The id of the pack shipped with this lib. */
export const SCHOOL_BASICS_PACK_ID = 'school-basics';

/** The packs shipped with this lib (`school-basics`: 30 questions on maths, science, geography, history, language, nature). */
export const builtInQuestionSource: QuestionSource = createMemoryQuestionSource([schoolBasicsJson]);
