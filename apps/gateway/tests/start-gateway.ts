import type { AnyGameDefinition } from '@gamebuddies/plugin-sdk';
import pino from 'pino';
import { loadConfig, type GatewayConfig } from '../src/config';
import { createGateway, type Gateway } from '../src/gateway';
import { AVAILABLE_GAMES } from '../src/games';

/** A gateway in this process on a free loopback port, with test-friendly settings merged over the defaults. */
export async function startGateway(env: Record<string, string> = {}, games: AnyGameDefinition[] = []): Promise<{ gateway: Gateway; url: string; config: GatewayConfig }> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }, AVAILABLE_GAMES.map((g) => g.id));
  const gateway = await createGateway(config, { logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }), games });
  const url = (await gateway.listen()).replace('localhost', '127.0.0.1');
  return { gateway, url, config };
}
