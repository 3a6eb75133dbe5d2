import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The deploy/ folder. */
export const DEPLOY_DIR = join(__dirname, '..');

/** The repository root. */
export const WORKSPACE_ROOT = join(DEPLOY_DIR, '..');

/** Reads a file under deploy/. */
export function readDeployFile(relative: string): string {
  return readFileSync(join(DEPLOY_DIR, relative), 'utf8');
}

/**
 * Parses every YAML document in a file under deploy/ (empty documents skipped).
 * @throws Error naming the file and the first syntax error.
 */
export function readYamlDocuments<T = Record<string, unknown>>(relative: string): T[] {
  const documents = parseAllDocuments(readDeployFile(relative));
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${relative}: ${document.errors[0]?.message}`);
  }
  return documents.map((document) => document.toJSON() as T | null).filter((value): value is T => value !== null);
}

/** Parses a single-document YAML file under deploy/. */
export function readYaml<T = Record<string, unknown>>(relative: string): T {
  const [document, ...rest] = readYamlDocuments<T>(relative);
  if (!document || rest.length > 0) throw new Error(`${relative}: expected exactly one YAML document`);
  return document;
}

/** Whether a path under deploy/ exists. */
export function deployFileExists(relative: string): boolean {
  return existsSync(join(DEPLOY_DIR, relative));
}

/**
 * Reads a duration as HAProxy, nginx and Prometheus write them (`500ms`, `60s`, `2m`, `1h`, or bare seconds).
 * @throws Error on anything else.
 */
export function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's'] ?? 1000;
  return Number(match[1]) * factor;
}
