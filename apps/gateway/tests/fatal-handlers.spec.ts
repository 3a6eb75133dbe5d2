import { EventEmitter } from 'node:events';
import pino from 'pino';
import { installFatalHandlers } from '../src/fatal-handlers';

describe('installFatalHandlers', () => {
  it('logs an unhandled rejection as fatal, drains, then exits non-zero; a second one exits at once', async () => {
    const target = new EventEmitter();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const exits: number[] = [];
    let finishDrain: () => void = () => undefined;
    const shutdown = jest.fn(() => new Promise<void>((resolve) => (finishDrain = resolve)));
    installFatalHandlers(target, logger, shutdown, (code) => exits.push(code));

    target.emit('unhandledRejection', new Error('nobody caught me'));
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 60, kind: 'unhandledRejection', err: { message: 'nobody caught me' } });

    target.emit('uncaughtException', new Error('and again'));
    expect(exits).toEqual([1]);
    finishDrain();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([1, 1]);
    expect(shutdown).toHaveBeenCalledTimes(1);
  });
});
