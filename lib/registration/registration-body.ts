import { HttpStatus } from '@nestjs/common';
import { DcrException } from '../errors/dcr.exception.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === 'application/json') return true; // the usual case, without parsing
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * A Content-Encoding other than identity. The module refuses encoded bodies
 * (415, RFC 7231 §3.1.2.2): a registration is small, and inflating one lets a
 * tiny body grow past every limit before anything checks it.
 */
export function contentEncodingOf(headers: Headers): string | undefined {
  const header = headers['content-encoding'];
  const value = (Array.isArray(header) ? header.join(',') : header)?.trim().toLowerCase();
  return value === undefined || value === '' || value === 'identity' ? undefined : value;
}

export const ENCODED_BODY_DESCRIPTION =
  'the request body must not be content-encoded (send it without Content-Encoding)';

/**
 * Checks what the host's body parser produced for a registration request:
 * no content encoding (415), JSON media type (415), size within the module's limit (413), a JSON object
 * (400 invalid_request). Bodies the host parser itself rejects are answered
 * by DcrBodyErrorTranslator.
 */
export function requireRegistrationBody(
  headers: Headers,
  body: unknown,
  maxBodyBytes: number,
): Record<string, unknown> {
  if (contentEncodingOf(headers) !== undefined) {
    throw DcrException.invalidRequest(ENCODED_BODY_DESCRIPTION, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }
  const contentType = headers['content-type'];
  if (!isJsonMediaType(Array.isArray(contentType) ? contentType[0] : contentType)) {
    throw DcrException.invalidRequest(
      'the request body must be JSON (Content-Type: application/json)',
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  const declaredLength = Number(headers['content-length']);
  const length = Number.isFinite(declaredLength)
    ? declaredLength
    : Buffer.byteLength(JSON.stringify(body ?? null));
  if (length > maxBodyBytes) {
    throw DcrException.invalidRequest(
      `the request body exceeds ${maxBodyBytes} bytes`,
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DcrException.invalidRequest('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
