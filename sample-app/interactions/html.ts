/** Markup that is already safe: written by this host, or built by `html` from escaped values. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** The one escaping helper: text and attribute values (always quoted) alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ESCAPES[char]);
}

type Interpolation = SafeHtml | string | number | readonly SafeHtml[] | false | null | undefined;

function render(value: Interpolation): string {
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map((item: SafeHtml) => item.markup).join('');
  return escapeHtml(String(value));
}

/**
 * A template tag: every interpolated string is escaped, only SafeHtml passes
 * as is. Pages are built with it alone, so a client-supplied value can't
 * reach the markup unescaped.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1];
  });
  return new SafeHtml(markup);
}
