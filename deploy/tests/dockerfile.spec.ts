import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary, startHttpBackend } from '@gamebuddies/test-services';
import { readDeployFile, WORKSPACE_ROOT } from './deploy-files';

/** One Dockerfile instruction, continuation lines joined. */
interface Instruction {
  keyword: string;
  args: string;
}

/** A build stage: its FROM and the instructions after it. */
interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages (no Docker engine here: this is what `docker build` would read). */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${keyword} before the first FROM`);
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const argsOf = (stage: Stage, keyword: string): string[] => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** A .dockerignore pattern (Go's filepath.Match plus `**`) as a regular expression; a match also covers what is below. */
function patternToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const isFolderPrefix = pattern[i + 2] === '/';
      source += isFolderPrefix ? '(?:.*/)?' : '.*';
      i += isFolderPrefix ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** Whether `docker build` leaves a context path out, by the last matching rule of a .dockerignore. */
function ignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ isException: line.startsWith('!'), regex: patternToRegex(line.replace(/^!/, '').replace(/^\//, '')) }));
  return (path) => rules.reduce((ignored, rule) => (rule.regex.test(path) ? !rule.isException : ignored), false);
}

describe('deploy/docker/Dockerfile', () => {
  const stages = parseDockerfile(readDeployFile('docker/Dockerfile'));
  const build = stages.find((s) => s.name === 'build')!;
  const runtime = stages.at(-1)!;

  it('builds in a stage of its own and runs on node:20-slim without the build tools', () => {
    expect(stages.map((s) => [s.image, s.name])).toEqual([
      ['node:20-slim', 'build'],
      ['node:20-slim', 'runtime'],
    ]);
    const runs = argsOf(build, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci[\s\S]*npx nx run gateway:build[\s\S]*npm prune --omit=dev/);
    expect(argsOf(runtime, 'RUN')).toEqual([]);
  });

  it('gives the runtime stage the bundle the gateway build writes, its packages and the page it serves', () => {
    expect(argsOf(runtime, 'COPY')).toEqual(['--from=build /out ./']);
    const gathered = argsOf(build, 'RUN').find((run) => run.includes('/out'))!;
    for (const path of ['node_modules /out/', 'apps/gateway/dist', 'apps/gateway/public', 'apps/gateway/node_modules']) expect(gathered).toContain(path);
    // The bundle is apps/gateway/dist/main.js (tsup entry `main`), and the page is served from ../public next to it.
    expect(readFileSync(join(WORKSPACE_ROOT, 'apps/gateway/tsup.config.ts'), 'utf8')).toMatch(/entry:\s*\{\s*main:\s*'src\/main\.ts'/);
    expect(existsSync(join(WORKSPACE_ROOT, 'apps/gateway/public/index.html'))).toBe(true);
    expect(JSON.parse(argsOf(runtime, 'CMD')[0]!)).toEqual(['node', 'apps/gateway/dist/main.js']);
  });

  it('runs as a non-root numeric user, stops with SIGTERM and exposes the port it listens on', () => {
    const [user] = argsOf(runtime, 'USER');
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(argsOf(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    const port = /PORT=(\d+)/.exec(argsOf(runtime, 'ENV').join(' '))?.[1];
    expect(argsOf(runtime, 'EXPOSE')).toEqual([port]);
  });

  it('has a HEALTHCHECK on /health/live that passes against a live server and fails without one', async () => {
    const [healthcheck = ''] = argsOf(runtime, 'HEALTHCHECK');
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3)) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('/health/live');
    const backend = await startHttpBackend('gateway');
    try {
      expect((await runBinary('node', ['-e', command[2]!], { env: { PORT: String(backend.port) }, timeoutMs: 10_000 })).code).toBe(0);
    } finally {
      await backend.close();
    }
    expect((await runBinary('node', ['-e', command[2]!], { env: { PORT: String(backend.port) }, timeoutMs: 10_000 })).code).toBe(1);
  });
});

describe('.dockerignore', () => {
  const isIgnored = ignoreMatcher(readFileSync(join(WORKSPACE_ROOT, '.dockerignore'), 'utf8'));

  it('leaves installed packages, build outputs, git data and secrets out of the build context', () => {
    for (const path of ['node_modules/express/package.json', 'apps/gateway/node_modules/x', 'apps/gateway/dist/main.js', 'libs/metrics/dist/index.js', '.git/HEAD', '.nx/cache/x', 'reports/jest/x.json', '.env', '.env.production']) {
      expect([path, isIgnored(path)]).toEqual([path, true]);
    }
  });

  it('keeps what `npm ci` and the gateway build need: the lock file and every workspace package', () => {
    const rootPackage = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const workspaceFolders = rootPackage.workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(WORKSPACE_ROOT, pattern.slice(0, -2)), { withFileTypes: true })
            .filter((entry) => entry.isDirectory() && existsSync(join(WORKSPACE_ROOT, pattern.slice(0, -2), entry.name, 'package.json')))
            .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
        : [pattern],
    );
    expect(workspaceFolders).toEqual(expect.arrayContaining(['apps/gateway', 'libs/metrics', 'deploy']));
    const needed = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'apps/gateway/src/main.ts', 'apps/gateway/public/index.html', 'apps/gateway/tsup.config.ts'];
    for (const path of [...needed, ...workspaceFolders.map((folder) => `${folder}/package.json`)]) {
      expect([path, isIgnored(path)]).toEqual([path, false]);
    }
  });
});
