import type { StandardSchemaV1 } from '@standard-schema/spec';
import { GameDefinitionError, type SchemaIssue } from './errors';

/** Any Standard Schema (zod, valibot, arktype, ...) whose output is `TOutput`. */
export type Schema<TOutput = unknown> = StandardSchemaV1<unknown, TOutput>;

/** The outcome of {@link validateWithSchema}: the schema's output, or the issues it found. */
export type SchemaResult<TOutput> = { isValid: true; value: TOutput } | { isValid: false; issues: SchemaIssue[] };

/**
 * Validates `value` with a Standard Schema, synchronously: the runtime is a reducer and cannot wait.
 * @throws GameDefinitionError when the schema validates asynchronously (e.g. a zod async refinement).
 */
export function validateWithSchema<TOutput>(schema: Schema<TOutput>, value: unknown, label: string): SchemaResult<TOutput> {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    // Nobody will wait for it; swallow its outcome so it cannot become an unhandled rejection.
    result.catch(() => undefined);
    throw new GameDefinitionError(`The schema of ${label} validates asynchronously; game schemas must be synchronous`, { label });
  }
  if (result.issues !== undefined) return { isValid: false, issues: result.issues.map(toSchemaIssue) };
  return { isValid: true, value: result.value };
}

/** True when `value` looks like a Standard Schema (has a `~standard` object with version 1 and `validate`). */
export function isStandardSchema(value: unknown): value is Schema {
  if (typeof value !== 'object' && typeof value !== 'function') return false;
  const props = (value as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.['~standard'];
  return props !== undefined && props.version === 1 && typeof props.validate === 'function';
}

function toSchemaIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === 'object' ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
  return { message: issue.message, path };
}
