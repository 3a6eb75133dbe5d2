import type { ErrorShape } from '@gamebuddies/core';

/** What every client event's acknowledgement carries: the result, or a typed error. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorShape };

/** The acknowledgement callback of a client event. */
export type AckCallback<T> = (response: Ack<T>) => void;

/** A successful acknowledgement. */
export function ackOk<T>(data: T): Ack<T> {
  return { ok: true, data };
}

/** A failed acknowledgement. */
export function ackError(error: ErrorShape): Ack<never> {
  return { ok: false, error };
}

/** An {@link ErrorShape} whose code is one of a known set. */
export interface ErrorShapeOf<C extends string> extends ErrorShape {
  code: C;
}
