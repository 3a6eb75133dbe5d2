import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries';
import { replaceTemplateLines } from './config-text';
import { findFreePort, isListening, retryOnFreePorts } from './free-port';
import type { LoadBalancerBackend } from './haproxy';
import { checkWithBinary, type ConfigCheck } from './run-binary';
import { ServiceProcess } from './service-process';
import { DEPLOY_NGINX_CONFIG } from './workspace';

/** The temporary folders nginx creates (and `nginx -t` checks), moved into the test's own folder. */
const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/** A backend for nginx's upstream; `isDown` marks its `server` line `down`, the way a gateway is drained. */
export interface NginxBackend extends LoadBalancerBackend {
  isDown?: boolean;
}

/** What {@link renderNginxConfig} changes. */
export interface NginxRenderOptions {
  /** The folder for the pid file and the temporary folders. */
  dir: string;
  /** Replaces every `listen` with 127.0.0.1:`port`. */
  port?: number;
  /** Replaces the upstream's `server` lines: the first is the template (its parameters are kept). */
  backends?: readonly NginxBackend[];
  /** The upstream whose servers are replaced (default `gateways`). */
  upstream?: string;
}

/**
 * Rewrites a self-contained nginx configuration to run as a test's own copy: pid file, temporary folders and the
 * logs that go to the standard streams in `dir`, and optionally the listening port and the upstream's servers. Everything else is kept as it is.
 * @throws Error when `backends` is given and the upstream or a `server` line in it is missing.
 */
export function renderNginxConfig(text: string, options: NginxRenderOptions): string {
  let config = text
    .replace(/^(\s*)pid\s+[^;]+;/m, `$1pid ${join(options.dir, 'nginx.pid')};`)
    .replace(/^\s*(client_body|proxy|fastcgi|uwsgi|scgi)_temp_path\s+[^;]+;\n/gm, '')
    .replace(/^(\s*)http\s*\{\n/m, (open: string, indent: string) =>
      open + TEMP_PATHS.map((name) => `${indent}    ${name}_temp_path ${join(options.dir, name)};\n`).join(''),
    );
  // A test reads the logs from files: /dev/stdout cannot be opened when stdout is the socket Node gives a child.
  config = config.replace(/^(\s*)(access_log|error_log)\s+(?:\/dev\/stdout|\/dev\/stderr|stderr)\b/gm, (_, indent: string, directive: string) => `${indent}${directive} ${join(options.dir, `${directive}.log`)}`);
  if (!/^\s*pid\s/m.test(config)) config = `pid ${join(options.dir, 'nginx.pid')};\n${config}`;
  if (options.port !== undefined) config = config.replace(/^(\s*)listen\s+[^;]+;/gm, `$1listen 127.0.0.1:${options.port};`);
  if (options.backends) config = renderUpstream(config, options.upstream ?? 'gateways', options.backends);
  return config;
}

function renderUpstream(config: string, upstream: string, backends: readonly NginxBackend[]): string {
  const lines = config.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*upstream\\s+${upstream}\\s*\\{`).test(line));
  if (start < 0) throw new Error(`no "upstream ${upstream}" block in the nginx configuration`);
  const end = lines.findIndex((line, i) => i > start && /^\s*\}/.test(line));
  return replaceTemplateLines(
    lines,
    start + 1,
    end < 0 ? lines.length : end,
    /^(\s*)server\s+\S+?((?:\s+[^;\s]+)*)\s*;.*$/,
    ([, indent, params = '']) => backends.map((b) => `${indent}server ${b.host ?? '127.0.0.1'}:${b.port}${params}${b.isDown ? ' down' : ''};`),
    `"server" line in "upstream ${upstream}"`,
  ).join('\n');
}

/** Runs `nginx -p <dir> -e <dir>/error.log -c <rendered copy>` with the given extra arguments. */
function nginxArgs(dir: string, configFile: string, extra: string[]): string[] {
  return ['-p', `${dir}/`, '-e', join(dir, 'error.log'), '-c', configFile, ...extra];
}

/**
 * Checks a configuration with the real `nginx -t`, on a copy whose pid file and temporary folders are in a
 * temporary folder (so the check needs no root and writes nothing outside it). Includes with relative paths are
 * not supported: the configuration must be self-contained.
 * @throws Error when nginx is not installed.
 */
export async function checkNginxConfig(path: string): Promise<ConfigCheck> {
  const dir = mkdtempSync(join(tmpdir(), 'gb-nginx-check-'));
  try {
    const configFile = join(dir, 'nginx.conf');
    writeFileSync(configFile, renderNginxConfig(readFileSync(path, 'utf8'), { dir }));
    return await checkWithBinary('nginx', nginxArgs(dir, configFile, ['-t']), { timeoutMs: 15_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Options for {@link startNginx}. */
export interface NginxOptions {
  backends: NginxBackend[];
  /** The configuration to run (default: the project's deploy/nginx/nginx.conf). */
  configPath?: string;
  /** The upstream whose servers are replaced by `backends` (default `gateways`). */
  upstream?: string;
  /** How long to wait for nginx to listen (default 10 s). */
  startTimeoutMs?: number;
}

/** A real nginx on 127.0.0.1 that this process started. */
export interface Nginx {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number | undefined;
  /** What nginx printed and its error log (warnings, upstream failures). */
  output(): string;
  /** Stops nginx (SIGTERM, by PID) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts the real `nginx` in the foreground as a single process (`daemon off; master_process off;`, so killing
 * its PID leaves no worker behind) on a free loopback port, with the project's configuration (or `configPath`)
 * rendered for `backends`.
 * @throws Error with nginx's output when it does not start.
 */
export function startNginx(options: NginxOptions): Promise<Nginx> {
  requireBinary('nginx'); // fail before making any folder
  const source = readFileSync(options.configPath ?? DEPLOY_NGINX_CONFIG, 'utf8');
  return retryOnFreePorts(async () => {
    const port = await findFreePort();
    const dir = mkdtempSync(join(tmpdir(), 'gb-nginx-'));
    const configFile = join(dir, 'nginx.conf');
    writeFileSync(configFile, renderNginxConfig(source, { dir, port, backends: options.backends, upstream: options.upstream }));
    const service = await ServiceProcess.start({
      binary: 'nginx',
      args: nginxArgs(dir, configFile, ['-g', 'daemon off; master_process off;']),
      isReady: () => isListening(port),
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      folder: dir,
    });
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      pid: service.pid,
      output: () => `${service.output()}${readFileSync(join(dir, 'error_log.log'), { encoding: 'utf8', flag: 'a+' })}`,
      stop: () => service.stop(),
    };
  });
}
