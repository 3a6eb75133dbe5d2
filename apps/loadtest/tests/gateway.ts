import { startGatewayProcess, stopChild, type GatewayProcess } from '@gamebuddies/test-services';

/**
 * A real in-memory gateway hosting every game bots play, with the per-address cap off (every bot connects
 * from 127.0.0.1) and quiet logs. Stop it with {@link stopGateway}.
 */
export function startLoadTarget(env: Record<string, string> = {}): Promise<GatewayProcess> {
  return startGatewayProcess({
    GAMES: 'party-bench,school-quiz,crazy-eights',
    LOG_LEVEL: 'warn',
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    EVENTS_PER_SECOND: '200',
    EVENT_BURST: '400',
    ...env,
  });
}

/** Stops a gateway started by {@link startLoadTarget} (by its PID). */
export async function stopGateway(gateway: GatewayProcess | undefined): Promise<void> {
  if (gateway !== undefined) await stopChild(gateway.child);
}
