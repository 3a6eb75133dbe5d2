import { stopChild } from './child-processes';
import { findFreePort } from './free-port';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';

/** One gateway process of a {@link GatewayCluster}, by its NODE_ID. */
export interface GatewayNode {
  name: string;
  port: number;
  process: GatewayProcess | undefined;
}

/** N real gateway processes on fixed loopback ports, sharing Redis; each can be killed, paused or restarted. */
export class GatewayCluster {
  private constructor(
    readonly nodes: GatewayNode[],
    private readonly env: Record<string, string>,
  ) {}

  /** Starts `count` gateways named gw-1 … gw-N. */
  static async start(count: number, env: Record<string, string>): Promise<GatewayCluster> {
    const nodes: GatewayNode[] = [];
    for (let i = 1; i <= count; i++) nodes.push({ name: `gw-${i}`, port: await findFreePort(), process: undefined });
    const cluster = new GatewayCluster(nodes, env);
    await Promise.all(nodes.map((node) => cluster.startNode(node.name)));
    return cluster;
  }

  node(name: string): GatewayNode {
    const node = this.nodes.find((n) => n.name === name);
    if (node === undefined) throw new Error(`no gateway ${name}`);
    return node;
  }

  /** Starts (or restarts) a gateway on its port. */
  async startNode(name: string): Promise<void> {
    const node = this.node(name);
    node.process = await startGatewayProcess({ ...this.env, NODE_ID: name, PORT: String(node.port) });
  }

  /** kill -9: the process dies without a word. */
  async kill(name: string): Promise<void> {
    const child = this.node(name).process?.child;
    if (child) await stopChild(child, 'SIGKILL');
  }

  /** SIGTERM, and waits for the graceful exit. */
  async stop(name: string): Promise<number | null> {
    const node = this.node(name);
    if (node.process === undefined) return null;
    const since = Date.now();
    node.process.child.kill('SIGTERM');
    return (await node.process.exited(since)).code;
  }

  /** SIGSTOP / SIGCONT: a gateway frozen (a long GC pause, a partition) and thawed. */
  pause(name: string): void {
    this.node(name).process?.child.kill('SIGSTOP');
  }

  resume(name: string): void {
    this.node(name).process?.child.kill('SIGCONT');
  }

  /** Whether the process is still running. */
  isAlive(name: string): boolean {
    const child = this.node(name).process?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Stops every gateway still running (SIGKILL after a grace period). */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const child = node.process?.child;
        if (child === undefined) return;
        child.kill('SIGCONT');
        await stopChild(child, 'SIGTERM', 8000);
      }),
    );
  }
}
