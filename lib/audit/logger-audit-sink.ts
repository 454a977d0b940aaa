import { Injectable, Logger } from '@nestjs/common';
import type { DcrAuditEvent } from './dcr-audit-event.js';
import { DcrAuditSink } from './dcr-audit-sink.js';

/** The default sink: one JSON line per event through Nest's Logger, context `DcrAudit`. */
@Injectable()
export class LoggerDcrAuditSink extends DcrAuditSink {
  protected readonly logger = new Logger('DcrAudit');

  record(event: Readonly<DcrAuditEvent>): void {
    this.logger.log(JSON.stringify(event));
  }
}
