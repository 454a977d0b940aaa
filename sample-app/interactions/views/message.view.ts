import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/** A page that only tells something: an expired interaction, a finished sign-out, an error. */
export function messagePage(title: string, message: string, extra?: SafeHtml): string {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>
      ${extra}`,
  );
}
