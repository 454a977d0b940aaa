import { Injectable, Logger, Optional } from '@nestjs/common';
import type { DcrException } from '../errors/dcr.exception.js';
import { findManagedClient } from '../management/registration-access-token.guard.js';
import { getDcrCaller } from '../registration/dcr-caller.js';
import type { DcrAuditCaller, DcrAuditEvent, DcrAuditEventType } from './dcr-audit-event.js';
import { DcrAuditSink } from './dcr-audit-sink.js';

interface AuditedRequest {
  method?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
  params?: Record<string, string | undefined>;
}

/** Who asked, from what the guards set on the request: names and ids, never the credential. */
function auditCaller(request: object): DcrAuditCaller | undefined {
  const managed = findManagedClient(request);
  if (managed) return { kind: 'registration_access_token', clientId: managed.client.clientId };
  const caller = getDcrCaller(request);
  if (!caller) return undefined;
  const issuer = caller.claims.iss;
  // Members set one by one, in this order (the JSON line keeps it): spreads cost an object each.
  const audited: DcrAuditCaller = { kind: caller.kind };
  if (typeof issuer === 'string') audited.issuer = issuer;
  if (caller.subject !== undefined) audited.subject = caller.subject;
  if (caller.clientId !== undefined) audited.clientId = caller.clientId;
  if (caller.tokenId !== undefined) audited.initialAccessTokenId = caller.tokenId;
  return audited;
}

/** Refusals before any pipeline step: the caller (401/403) rather than the request. */
const CALLER_STATUSES = new Set([401, 403]);

/**
 * Builds audit events from a request and hands them to the DcrAuditSink. A
 * sink that fails never changes the answer: its error is logged (name and
 * message only) and the request goes on.
 */
@Injectable()
export class DcrAuditor {
  private readonly logger = new Logger('DcrAudit');

  constructor(@Optional() private readonly sink?: DcrAuditSink) {}

  /** A client was registered, updated or deleted. */
  succeeded(request: object, type: DcrAuditEventType, clientId: string): void {
    this.record(request, type, { clientId });
  }

  /** A request on the module's routes was answered with an error. */
  refused(request: object, exception: DcrException): void {
    const status = exception.getStatus();
    if (status >= 500) return; // server faults are logged by the filter, not audited as refusals
    const clientId = (request as AuditedRequest).params?.clientId;
    this.record(request, CALLER_STATUSES.has(status) ? 'caller.refused' : 'registration.rejected', {
      ...(clientId !== undefined && { clientId }),
      status,
      error: exception.code,
      ...(exception.member !== undefined && { member: exception.member }),
    });
  }

  private record(
    request: object,
    type: DcrAuditEventType,
    details: Pick<DcrAuditEvent, 'clientId' | 'status' | 'error' | 'member'>,
  ): void {
    if (!this.sink) return;
    const { method, ip, socket } = request as AuditedRequest;
    const caller = auditCaller(request);
    const sourceAddress = ip ?? socket?.remoteAddress;
    // Same order as DcrAuditEvent's members, each set only when defined.
    const event: DcrAuditEvent = { type, time: new Date().toISOString() } as DcrAuditEvent;
    if (details.clientId !== undefined) event.clientId = details.clientId;
    if (caller) event.caller = caller;
    if (sourceAddress !== undefined) event.sourceAddress = sourceAddress;
    event.method = method ?? 'UNKNOWN';
    if (details.status !== undefined) event.status = details.status;
    if (details.error !== undefined) event.error = details.error;
    if (details.member !== undefined) event.member = details.member;
    try {
      const pending = this.sink.record(event);
      if (pending) pending.catch((error: unknown) => this.sinkFailed(error));
    } catch (error) {
      this.sinkFailed(error);
    }
  }

  private sinkFailed(error: unknown): void {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : 'non-Error thrown';
    this.logger.error(`the audit sink failed: ${detail}`);
  }
}
