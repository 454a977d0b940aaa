import { Logger, type LoggerService } from '@nestjs/common';
import type { DcrAuditEvent } from './dcr-audit-event.js';
import { LoggerDcrAuditSink } from './logger-audit-sink.js';

describe('LoggerDcrAuditSink', () => {
  const lines: [message: unknown, context: unknown][] = [];
  const capture: LoggerService = {
    log: (message: unknown, context?: unknown) => void lines.push([message, context]),
    error: () => undefined,
    warn: () => undefined,
  };
  beforeAll(() => Logger.overrideLogger(capture));
  afterAll(() => Logger.overrideLogger(new Logger()));

  it('writes each event as one JSON line under the DcrAudit context', () => {
    const event: DcrAuditEvent = {
      type: 'client.registered',
      time: '2026-12-01T21:00:00.000Z',
      clientId: 'abc',
      caller: { kind: 'anonymous' },
      sourceAddress: '127.0.0.1',
      method: 'POST',
    };
    new LoggerDcrAuditSink().record(event);
    expect(lines).toHaveLength(1);
    const [message, context] = lines[0]!;
    expect(context).toBe('DcrAudit');
    expect(typeof message).toBe('string');
    expect(message).not.toContain('\n');
    expect(JSON.parse(message as string)).toEqual(event);
  });
});
