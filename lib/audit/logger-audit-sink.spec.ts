import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import type { DcrAuditEvent } from './dcr-audit-event.js';
import { LoggerDcrAuditSink } from './logger-audit-sink.js';

const event: DcrAuditEvent = {
  type: 'client.registered',
  time: '2026-12-01T21:00:00.000Z',
  clientId: 'abc',
  caller: { kind: 'anonymous' },
  sourceAddress: '127.0.0.1',
  method: 'POST',
};

describe('LoggerDcrAuditSink', () => {
  const lines: [message: unknown, context: unknown][] = [];
  const capture: LoggerService = {
    log: (message: unknown, context?: unknown) => void lines.push([message, context]),
    error: () => undefined,
    warn: () => undefined,
  };
  beforeEach(() => {
    lines.length = 0;
    Logger.overrideLogger(capture);
  });
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('writes each event as one JSON line under the DcrAudit context', () => {
    new LoggerDcrAuditSink().record(event);
    expect(lines).toHaveLength(1);
    const [message, context] = lines[0]!;
    expect(context).toBe('DcrAudit');
    expect(typeof message).toBe('string');
    expect(message).not.toContain('\n');
    expect(JSON.parse(message as string)).toEqual(event);
  });

  describe('when the line would be dropped, it is not built', () => {
    let built = 0;
    // JSON.stringify calls toJSON: it counts the lines built.
    const watched = { ...event, toJSON: () => (built++, event) };
    beforeEach(() => {
      built = 0;
    });

    it('with logging off (logger: false)', () => {
      Logger.overrideLogger(false);
      new LoggerDcrAuditSink().record(watched);
      expect(built).toBe(0);
    });

    it("with Nest's ConsoleLogger at levels without log", () => {
      Logger.overrideLogger(new ConsoleLogger({ logLevels: ['error', 'warn'] }));
      new LoggerDcrAuditSink().record(watched);
      expect(built).toBe(0);
    });

    it('but a logger of its own decides for itself, whatever the levels', () => {
      const printed: unknown[] = [];
      class EveryLineLogger extends ConsoleLogger {
        override log(message: unknown): void {
          printed.push(message);
        }
      }
      Logger.overrideLogger(new EveryLineLogger({ logLevels: ['error'] }));
      new LoggerDcrAuditSink().record(watched);
      expect(built).toBe(1);
      expect(printed).toHaveLength(1);
      expect(JSON.parse(printed[0] as string)).toEqual(event);
    });
  });
});
