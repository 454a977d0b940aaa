import { ConsoleLogger, Injectable, Logger, type LoggerService } from '@nestjs/common';
import type { DcrAuditEvent } from './dcr-audit-event.js';
import { DcrAuditSink } from './dcr-audit-sink.js';

/** Nest's Logger state that decides whether a line goes anywhere (its statics are not public). */
class LoggerState extends Logger {
  static get target(): LoggerService | undefined {
    return Logger.staticInstanceRef;
  }

  static get buffering(): boolean {
    return (Logger as unknown as { isBufferAttached?: boolean }).isBufferAttached === true;
  }
}

/**
 * True when a plain Nest Logger would drop a `log` line: logging is off
 * (`logger: false`), or Nest's own ConsoleLogger has levels that leave `log`
 * out. Any other logger (a subclass, the host's own) decides for itself, and
 * buffered lines are printed later, so those always get the line.
 */
function logLinesDropped(logger: Logger): boolean {
  if (Object.getPrototypeOf(logger) !== Logger.prototype) return false;
  if (Logger.isLevelEnabled('log') || LoggerState.buffering) return false;
  const target = LoggerState.target;
  return target === undefined || target.constructor === ConsoleLogger;
}

/** The default sink: one JSON line per event through Nest's Logger, context `DcrAudit`. */
@Injectable()
export class LoggerDcrAuditSink extends DcrAuditSink {
  protected readonly logger = new Logger('DcrAudit');

  record(event: Readonly<DcrAuditEvent>): void {
    // The line costs more than the rest of the event: not built when nobody would see it.
    if (logLinesDropped(this.logger)) return;
    this.logger.log(JSON.stringify(event));
  }
}
