import { html, SafeHtml } from '../html.js';
import { PAGE_STYLE } from './page-style.js';

/** Built outside the template so that formatting can't add whitespace the CSP hash doesn't cover. */
const STYLE_ELEMENT = new SafeHtml(`<style>${PAGE_STYLE}</style>`);

/** Every page's frame: its title, the hashed stylesheet and the body. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main>
          <p class="brand">nestjs-dcr sign-in</p>
          ${body}
        </main>
      </body>
    </html>`.markup;
}
