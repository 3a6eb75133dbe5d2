import type { JsonValue } from '@gamebuddies/core';
import { z } from 'zod';
import type { ClientEventName } from '../events';
import { checkPayloadBounds, DEFAULT_PAYLOAD_BOUNDS, type PayloadBounds } from './payload-bounds';
import type { PayloadIssue } from './payload-issue';

// z.json() checks exactly what JsonValue describes (plain JSON data).
const json = z.json() as unknown as z.ZodType<JsonValue>;
const empty = z.object({}).strict();

/**
 * The schema of every client event's payload: what the gateway accepts, checked before anything runs.
 * Unknown keys are refused, so a typo is an error rather than silently ignored.
 */
export const requestSchemas = {
  'session:open': z
    .object({
      name: z
        .string()
        .trim()
        .min(1)
        .max(32)
        // The session store's rule, checked here so that a bad name is an INVALID_PAYLOAD naming the field.
        .refine((name) => !/[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u.test(name), 'must not contain control characters')
        .optional(),
    })
    .strict(),
  'games:list': empty,
  'room:create': z.object({ gameId: z.string().min(1).max(64), options: z.record(z.string(), json).optional() }).strict(),
  'room:join': z.object({ code: z.string().min(1).max(32), asSpectator: z.boolean().optional() }).strict(),
  'room:leave': empty,
  'room:start': empty,
  'room:kick': z.object({ playerId: z.string().min(1).max(128) }).strict(),
  'room:sync': empty,
  'game:act': z.object({ action: z.string().min(1).max(64), payload: json.optional() }).strict(),
} satisfies Record<ClientEventName, z.ZodType<unknown>>;

/** The validated payload of a client event. */
export type RequestOf<E extends ClientEventName> = z.infer<(typeof requestSchemas)[E]>;

/**
 * Checks a payload; returns the parsed value or the list of problems. A missing payload counts as `{}`. The
 * payload's depth and size are bounded first, without recursion, so no payload can exhaust the stack.
 */
export function parseRequest<E extends ClientEventName>(
  event: E,
  payload: unknown,
  bounds: PayloadBounds = DEFAULT_PAYLOAD_BOUNDS,
): { ok: true; value: RequestOf<E> } | { ok: false; issues: PayloadIssue[] } {
  const tooBig = checkPayloadBounds(payload, bounds);
  if (tooBig !== null) return { ok: false, issues: [tooBig] };
  const result = requestSchemas[event].safeParse(payload ?? {});
  if (result.success) return { ok: true, value: result.data as RequestOf<E> };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: issue.message,
    })),
  };
}
