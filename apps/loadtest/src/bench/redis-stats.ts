/**
 * Redis commands per action: `INFO commandstats` read over a raw RESP connection (no client library, so the
 * reader adds one `info` call per sample and nothing else), parsed into calls per command.
 */
import { createConnection, type Socket } from 'node:net';

/**
 * Parses the text of `INFO commandstats` into calls per command (`cmdstat_get:calls=12,usec=…` → `get: 12`).
 * Lines that are not command stats are ignored.
 */
export function parseCommandStats(text: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match !== null) calls[match[1]!] = Number(match[2]);
  }
  return calls;
}

/** The commands the bench itself sends while measuring, left out of every count. */
export const BENCH_OWN_COMMANDS = ['info'];

/** Calls per command from `before` to `after` (commands new in `after` count from 0), without the bench's own. */
export function commandDeltas(before: Record<string, number>, after: Record<string, number>, exclude: readonly string[] = BENCH_OWN_COMMANDS): Record<string, number> {
  const deltas: Record<string, number> = {};
  for (const [command, calls] of Object.entries(after)) {
    if (exclude.includes(command)) continue;
    const delta = calls - (before[command] ?? 0);
    if (delta > 0) deltas[command] = delta;
  }
  return deltas;
}

/** The sum of the calls in a per-command record. */
export function totalCalls(calls: Record<string, number>): number {
  return Object.values(calls).reduce((sum, n) => sum + n, 0);
}

/** Encodes a command in RESP (an array of bulk strings). */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/**
 * Reads one RESP reply from the start of `buffer`: returns the text of a bulk or simple string (or the error
 * text) and how many bytes it took, or null when the buffer does not hold a whole reply yet.
 * @throws Error for reply types this reader does not handle (arrays, integers are not needed here).
 */
export function readReply(buffer: Buffer): { value: string; isError: boolean; length: number } | null {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return null;
  const head = buffer.subarray(0, lineEnd).toString();
  const type = head[0];
  if (type === '+' || type === '-') return { value: head.slice(1), isError: type === '-', length: lineEnd + 2 };
  if (type === '$') {
    const size = Number(head.slice(1));
    if (size < 0) return { value: '', isError: false, length: lineEnd + 2 };
    const end = lineEnd + 2 + size;
    if (buffer.length < end + 2) return null;
    return { value: buffer.subarray(lineEnd + 2, end).toString(), isError: false, length: end + 2 };
  }
  throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
}

/** A minimal Redis connection that sends one command at a time and reads string replies. */
export class RawRedis {
  private buffer = Buffer.alloc(0);
  private waiting: { resolve: (value: string) => void; reject: (error: Error) => void } | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('redis connection closed')));
  }

  /**
   * Connects to `host:port`.
   * @throws Error when the connection is refused.
   */
  static connect(port: number, host = '127.0.0.1'): Promise<RawRedis> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ port, host }, () => {
        socket.off('error', reject);
        resolve(new RawRedis(socket));
      });
      socket.once('error', reject);
    });
  }

  /**
   * Sends a command and resolves with its string reply.
   * @throws Error on an error reply or a closed connection.
   */
  command(args: string[]): Promise<string> {
    if (this.waiting !== null) return Promise.reject(new Error('one command at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(encodeCommand(args));
    });
  }

  /** The calls per command so far. */
  async commandStats(): Promise<Record<string, number>> {
    return parseCommandStats(await this.command(['INFO', 'commandstats']));
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    if (this.waiting === null) return;
    let reply;
    try {
      reply = readReply(this.buffer);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (reply === null) return;
    this.buffer = this.buffer.subarray(reply.length);
    const waiting = this.waiting;
    this.waiting = null;
    if (reply.isError) waiting.reject(new Error(`redis: ${reply.value}`));
    else waiting.resolve(reply.value);
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }
}
