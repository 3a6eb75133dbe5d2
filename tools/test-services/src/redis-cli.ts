import { runBinary } from './run-binary';

/** A Redis node's address, as the gateway's REDIS_CLUSTER_NODES and REDIS_SENTINELS settings take it. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Options for {@link redisCli}. */
export interface RedisCliOptions {
  /** Follow cluster redirections (`redis-cli -c`). */
  isClusterMode?: boolean;
  /** Killed after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * Runs one command with the real `redis-cli` against 127.0.0.1:`port` and returns its answer, trimmed (arrays
 * one element a line).
 * @throws Error with what redis-cli printed when it cannot connect or Redis answers an error.
 */
export async function redisCli(port: number, args: string[], options: RedisCliOptions = {}): Promise<string> {
  const flags = ['-h', '127.0.0.1', '-p', String(port), '-e', ...(options.isClusterMode ? ['-c'] : [])];
  const result = await runBinary('redis-cli', [...flags, ...args], { timeoutMs: options.timeoutMs ?? 10_000 });
  if (result.code !== 0) {
    throw new Error(`redis-cli -p ${port} ${args.join(' ')} failed (${result.code}): ${(result.stdout + result.stderr).trim()}`);
  }
  return result.stdout.trim();
}

/** Reads `field:value` lines, as INFO and CLUSTER INFO print them, into a record. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** Joins addresses as `host:port,host:port`, the form of REDIS_CLUSTER_NODES and REDIS_SENTINELS. */
export function formatNodeList(nodes: readonly RedisNodeAddress[]): string {
  return nodes.map((node) => `${node.host}:${node.port}`).join(',');
}
