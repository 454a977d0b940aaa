import type { DcrAuditEvent } from './dcr-audit-event.js';

/**
 * Receives every audit event (the `auditSink` extra replaces the default,
 * which writes one JSON log line each). Recording is fire-and-forget: a sink
 * that throws or rejects never changes the answer, and is logged once per failure.
 */
export abstract class DcrAuditSink {
  abstract record(event: Readonly<DcrAuditEvent>): void | Promise<void>;
}
