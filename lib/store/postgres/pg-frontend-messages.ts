// The frontend messages of PostgreSQL's extended query protocol that a
// prepared statement needs (https://www.postgresql.org/docs/current/protocol-message-formats.html),
// for talking to the embedded PGlite below its query(), which parses, plans
// and describes every statement anew.

const encoder = new TextEncoder();
const NUL = new Uint8Array(1);

/** The body of one message: its fields in order. */
class MessageBody {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  cstring(text: string): this {
    return this.bytes(encoder.encode(text)).bytes(NUL);
  }

  int16(value: number): this {
    const chunk = new Uint8Array(2);
    new DataView(chunk.buffer).setInt16(0, value);
    return this.bytes(chunk);
  }

  int32(value: number): this {
    const chunk = new Uint8Array(4);
    new DataView(chunk.buffer).setInt32(0, value);
    return this.bytes(chunk);
  }

  bytes(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return this;
  }

  /** The message: its type byte, its length (which counts itself), then the body. */
  framed(type: string): Uint8Array {
    const message = new Uint8Array(5 + this.size);
    message[0] = type.charCodeAt(0);
    new DataView(message.buffer).setInt32(1, 4 + this.size);
    let offset = 5;
    for (const chunk of this.chunks) {
      message.set(chunk, offset);
      offset += chunk.length;
    }
    return message;
  }
}

/** Parse: names `sql` as the prepared statement `name`; parameter types are inferred. */
export function parseMessage(name: string, sql: string): Uint8Array {
  return new MessageBody().cstring(name).cstring(sql).int16(0).framed('P');
}

/** Describe of a prepared statement: answered with its parameter types and its row description. */
export function describeStatementMessage(name: string): Uint8Array {
  return new MessageBody().bytes(encoder.encode('S')).cstring(name).framed('D');
}

/** Close of a prepared statement: frees its name and its plan. */
export function closeStatementMessage(name: string): Uint8Array {
  return new MessageBody().bytes(encoder.encode('S')).cstring(name).framed('C');
}

/** Bind of the unnamed portal to statement `name`; values and results in text format, null as -1. */
export function bindMessage(name: string, values: readonly (string | null)[]): Uint8Array {
  const body = new MessageBody().cstring('').cstring(name).int16(0).int16(values.length);
  for (const value of values) {
    if (value === null) {
      body.int32(-1);
    } else {
      const encoded = encoder.encode(value);
      body.int32(encoded.length).bytes(encoded);
    }
  }
  return body.int16(0).framed('B');
}

/** Execute of the unnamed portal, every row. */
export function executeMessage(): Uint8Array {
  return new MessageBody().cstring('').int32(0).framed('E');
}

/** Sync: ends the exchange; after an error, the server skips to it. */
export function syncMessage(): Uint8Array {
  return new MessageBody().framed('S');
}

/** Several messages sent in one call. */
export function concatMessages(messages: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(messages.reduce((size, message) => size + message.length, 0));
  let offset = 0;
  for (const message of messages) {
    joined.set(message, offset);
    offset += message.length;
  }
  return joined;
}
