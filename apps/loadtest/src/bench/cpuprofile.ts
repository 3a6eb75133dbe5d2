/**
 * The top self-time entries of a V8 `.cpuprofile` (what `node --cpu-prof` writes): which functions the CPU
 * was in, not counting the functions they called.
 */

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; children?: number[] }[];
  /** The node each sample landed in. */
  samples: number[];
  /** Microseconds since the previous sample (the first: since the profile's start). */
  timeDeltas: number[];
  startTime?: number;
  endTime?: number;
}

/** One function's share of the profile. */
export interface SelfTimeEntry {
  /** `functionName` (or `(anonymous)`), as V8 names it. */
  functionName: string;
  /** The script, shortened to what follows `node_modules/` or the workspace, with the 1-based line. */
  location: string;
  selfMs: number;
  /** Share of all sampled time, 0–100. */
  percent: number;
}

/** Shortens a script URL for a table: Node's own modules whole, else the part after the last `node_modules/` or from `apps/`/`libs/`, else the last two path parts. */
export function shortLocation(url: string, lineNumber: number): string {
  if (url === '') return '';
  if (url.startsWith('node:')) return lineNumber >= 0 ? `${url}:${lineNumber + 1}` : url;
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('node_modules/');
  let short = path;
  if (nodeModules >= 0) short = path.slice(nodeModules + 'node_modules/'.length);
  else {
    const workspace = /(?:^|\/)((?:apps|libs|tools)\/.*)$/.exec(path);
    short = workspace?.[1] ?? path.split('/').slice(-2).join('/');
  }
  return lineNumber >= 0 ? `${short}:${lineNumber + 1}` : short;
}

/**
 * Sums each sample's time into the function it landed in (a sample lasts until the next one: `timeDeltas[i + 1]`;
 * the last lasts the mean), merges nodes of the same function and location, and returns the `limit` largest.
 * @throws Error when the profile's samples and time deltas do not match.
 */
export function topSelfTime(profile: CpuProfile, limit = 15): SelfTimeEntry[] {
  const { samples, timeDeltas } = profile;
  if (samples.length !== timeDeltas.length) throw new Error(`a cpuprofile with ${samples.length} samples and ${timeDeltas.length} time deltas`);
  const byNode = new Map<number, number>();
  const mean = samples.length > 1 ? timeDeltas.slice(1).reduce((s, d) => s + Math.max(0, d), 0) / (samples.length - 1) : 0;
  samples.forEach((node, i) => {
    const duration = i + 1 < timeDeltas.length ? Math.max(0, timeDeltas[i + 1]!) : mean;
    byNode.set(node, (byNode.get(node) ?? 0) + duration);
  });
  const total = [...byNode.values()].reduce((s, d) => s + d, 0);
  const byFunction = new Map<string, SelfTimeEntry>();
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id);
    if (micros === undefined || micros === 0) continue;
    const functionName = node.callFrame.functionName === '' ? '(anonymous)' : node.callFrame.functionName;
    const location = shortLocation(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${functionName}\u0000${location}`;
    const entry = byFunction.get(key) ?? { functionName, location, selfMs: 0, percent: 0 };
    entry.selfMs += micros / 1000;
    byFunction.set(key, entry);
  }
  const entries = [...byFunction.values()];
  for (const entry of entries) entry.percent = total > 0 ? (entry.selfMs * 1000 * 100) / total : 0;
  return entries.sort((a, b) => b.selfMs - a.selfMs || a.functionName.localeCompare(b.functionName)).slice(0, limit);
}
