import { ConfigError, loadConfig } from '../src/config';

const games = ['school-quiz', 'crazy-eights'];

describe('loadConfig', () => {
  it('runs on defaults with nothing set: in memory, every game, port 3000', () => {
    const config = loadConfig({}, games);
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      redisUrl: undefined,
      games,
      servePage: true,
      transports: ['websocket', 'polling'],
      maxPayloadBytes: 65536,
      corsOrigins: [],
    });
    expect(config.nodeId).toMatch(/-\d+$/);
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        REDIS_URL: 'redis://10.0.0.5:6379',
        CORS_ORIGINS: 'https://play.example, https://school.example',
        GAMES: 'school-quiz',
        SERVE_PAGE: 'false',
        TRANSPORTS: 'websocket',
        NODE_ID: 'gw-1',
      },
      games,
    );
    expect(config).toMatchObject({
      port: 8080,
      redisUrl: 'redis://10.0.0.5:6379',
      corsOrigins: ['https://play.example', 'https://school.example'],
      games: ['school-quiz'],
      servePage: false,
      transports: ['websocket'],
      nodeId: 'gw-1',
    });
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', LOG_LEVEL: 'loud', MAX_PAYLOAD_BYTES: '10', TRANSPORTS: 'carrier-pigeon' }, games);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'MAX_PAYLOAD_BYTES', 'TRANSPORTS']) expect(message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('refuses games this build does not have', () => {
    expect(() => loadConfig({ GAMES: 'school-quiz,chess' }, games)).toThrow(/unknown game chess/);
  });
});
