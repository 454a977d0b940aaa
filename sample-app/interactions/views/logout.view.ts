import { html, SafeHtml } from '../html.js';
import { layout } from './layout.js';

/**
 * The sign-out question. `form` is oidc-provider's own hidden form (its
 * action and xsrf token, both the provider's), which the buttons submit.
 */
export function logoutPage(host: string, form: string): string {
  return layout(
    'Sign out',
    html`<h1>Sign out</h1>
      <p>Do you want to sign out from <span class="client">${host}</span>?</p>
      ${new SafeHtml(form)}
      <div class="actions">
        <button type="submit" class="secondary" form="op.logoutForm">Stay signed in</button>
        <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>
          Sign out
        </button>
      </div>`,
  );
}
