import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries';
import { replaceTemplateLines } from './config-text';
import { findFreePort, isListening, retryOnFreePorts } from './free-port';
import { checkWithBinary, type ConfigCheck } from './run-binary';
import { ServiceProcess } from './service-process';
import { waitUntil } from './wait-until';
import { DEPLOY_HAPROXY_CONFIG } from './workspace';

/** One server behind the load balancer. */
export interface LoadBalancerBackend {
  /** The server's name in the configuration (`gw1`), also its stickiness cookie value in HAProxy. */
  name: string;
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** Options for {@link startHaproxy}. */
export interface HaproxyOptions {
  backends: LoadBalancerBackend[];
  /** The configuration to run (default: the project's deploy/haproxy/haproxy.cfg). */
  configPath?: string;
  /** The backend section whose `server` lines are replaced by `backends` (default `be_gateways`). */
  backendSection?: string;
  /** More environment variables for the configuration, e.g. `{ GB_CHECK_INTER: '100ms' }` (GB_MAXCONN is 1000 unless set here). */
  extraEnv?: Record<string, string>;
  /** How long to wait for HAProxy to listen (default 10 s). */
  startTimeoutMs?: number;
}

/** A real HAProxy on 127.0.0.1 that this process started, and its runtime API. */
export interface Haproxy {
  /** Where players connect (the configuration's GB_LB_BIND). */
  port: number;
  /** The stats page and HAProxy's Prometheus metrics (GB_STATS_BIND). */
  statsPort: number;
  /** The admin-level runtime API's Unix socket (GB_RUNTIME_SOCKET). */
  runtimeSocket: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number | undefined;
  /** Sends one runtime API command and returns HAProxy's answer. */
  runtime(command: string): Promise<string>;
  /**
   * Puts a server in DRAIN: no new sessions, but requests pinned to it by their cookie still reach it.
   * @throws Error with HAProxy's answer when it refuses (e.g. no such server).
   */
  drain(name: string): Promise<void>;
  /**
   * Takes a server out of DRAIN or MAINT (it still has to pass its health checks).
   * @throws Error with HAProxy's answer when it refuses.
   */
  ready(name: string): Promise<void>;
  /** The server's status column in `show stat`: `UP`, `DOWN`, `DRAIN`, `MAINT`, or a transition like `UP 1/2`. */
  serverStatus(name: string): Promise<string>;
  /**
   * Waits until the server's status is `status`.
   * @throws Error when it is not within `timeoutMs` (default 10 s).
   */
  waitForStatus(name: string, status: string, timeoutMs?: number): Promise<void>;
  /** What HAProxy printed (its request log and alerts), the last 8,000 characters. */
  output(): string;
  /** Stops HAProxy (SIGTERM, by PID) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Checks a configuration with the real `haproxy -c`, in zero-warning mode (`-dW`: a warning fails the check too).
 * `env` sets the variables the configuration expands.
 * @throws Error when haproxy is not installed.
 */
export function checkHaproxyConfig(path: string, env: Record<string, string> = {}): Promise<ConfigCheck> {
  return checkWithBinary('haproxy', ['-c', '-dW', '-f', path], { env, timeoutMs: 15_000 });
}

/**
 * Rewrites a configuration's `server` lines in one backend section: the first becomes a template for one line per
 * backend (its name, its address, `cookie <name>`), and the other lines go. Everything else is kept as it is.
 * @throws Error when the section or a `server` line in it is missing.
 */
export function renderHaproxyConfig(text: string, backends: readonly LoadBalancerBackend[], section = 'be_gateways'): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^backend\\s+${section}\\s*$`).test(line.trim()));
  if (start < 0) throw new Error(`no "backend ${section}" section in the HAProxy configuration`);
  const sectionKeyword = /^(global|defaults|frontend|backend|listen|resolvers|peers|userlist|program|http-errors|ring|cache|mailers)\b/;
  let end = lines.findIndex((line, i) => i > start && sectionKeyword.test(line));
  if (end < 0) end = lines.length;
  const rendered = replaceTemplateLines(
    lines,
    start + 1,
    end,
    /^(\s*)server\s+\S+\s+\S+(.*)$/,
    ([, indent, rest = '']) =>
      backends.map((b) => `${indent}server ${b.name} ${b.host ?? '127.0.0.1'}:${b.port}${rest.replace(/\bcookie\s+\S+/, `cookie ${b.name}`)}`),
    `"server" line in "backend ${section}"`,
  );
  return rendered.join('\n');
}

/**
 * Starts the real `haproxy` in the foreground (`-db`) on free loopback ports, with the project's configuration
 * (or `configPath`) rendered for `backends`, and waits until it listens and its runtime API answers.
 * The configuration gets GB_LB_BIND, GB_STATS_BIND and GB_RUNTIME_SOCKET from this helper.
 * @throws Error with HAProxy's output when it does not start.
 */
export function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  requireBinary('haproxy'); // fail before making any folder
  const section = options.backendSection ?? 'be_gateways';
  const config = renderHaproxyConfig(readFileSync(options.configPath ?? DEPLOY_HAPROXY_CONFIG, 'utf8'), options.backends, section);
  return retryOnFreePorts(async () => {
    const port = await findFreePort();
    const statsPort = await findFreePort();
    const dir = mkdtempSync(join(tmpdir(), 'gb-haproxy-'));
    const configFile = join(dir, 'haproxy.cfg');
    writeFileSync(configFile, config);
    const runtimeSocket = join(dir, 'admin.sock');
    const runtime = (command: string): Promise<string> => sendRuntimeCommand(runtimeSocket, command);
    const service = await ServiceProcess.start({
      binary: 'haproxy',
      args: ['-db', '-f', configFile],
      env: {
        // HAProxy needs about two file descriptors a connection; the shipped 20,000 may exceed a test machine's
        // `ulimit -n`, and a test needs far fewer.
        GB_MAXCONN: '1000',
        ...options.extraEnv,
        GB_LB_BIND: `127.0.0.1:${port}`,
        GB_STATS_BIND: `127.0.0.1:${statsPort}`,
        GB_RUNTIME_SOCKET: runtimeSocket,
      },
      isReady: async () => (await runtime('show info').catch(() => '')).includes('Name: HAProxy') && (await isListening(port)),
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      folder: dir,
    });
    const setState = async (name: string, state: 'drain' | 'ready'): Promise<void> => {
      const answer = (await runtime(`set server ${section}/${name} state ${state}`)).trim();
      if (answer !== '') throw new Error(`HAProxy refused to set ${section}/${name} to ${state}: ${answer}`);
    };
    const serverStatus = async (name: string): Promise<string> => {
      const [header = '', ...rows] = (await runtime('show stat')).split('\n');
      const columns = header.replace(/^#\s*/, '').split(',');
      const at = (column: string): number => columns.indexOf(column);
      const row = rows.map((line) => line.split(',')).find((cells) => cells[at('pxname')] === section && cells[at('svname')] === name);
      if (!row) throw new Error(`HAProxy has no server ${section}/${name}`);
      return row[at('status')] ?? '';
    };
    return {
      port,
      statsPort,
      runtimeSocket,
      url: `http://127.0.0.1:${port}`,
      pid: service.pid,
      runtime,
      drain: (name) => setState(name, 'drain'),
      ready: (name) => setState(name, 'ready'),
      serverStatus,
      waitForStatus: async (name, status, timeoutMs = 10_000) => {
        await waitUntil(async () => (await serverStatus(name)) === status, {
          timeoutMs,
          intervalMs: 50,
          description: `HAProxy server ${section}/${name} to be ${status}`,
        });
      },
      output: () => service.output(),
      stop: () => service.stop(),
    };
  });
}

/** Sends one command to HAProxy's runtime API (a Unix socket that answers and closes) and returns the answer. */
function sendRuntimeCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = createConnection({ path: socketPath }, () => socket.end(`${command}\n`));
    socket.setTimeout(5000, () => socket.destroy(new Error(`HAProxy's runtime API did not answer "${command}"`)));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('close', () => resolve(answer));
    socket.once('error', reject);
  });
}

