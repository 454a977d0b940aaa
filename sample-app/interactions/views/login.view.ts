import { html } from '../html.js';
import { layout } from './layout.js';

export interface LoginView {
  /** Where the form posts: the interaction's own URL. */
  action: string;
  csrfToken: string;
  /** The client's self-asserted name (or its id). */
  clientName: string;
  /** Kept in the form after a failed attempt; never the password. */
  username?: string;
  error?: string;
}

/** The sign-in page. The form contract: one POST form with `username` and `password`. */
export function loginPage(view: LoginView): string {
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
      <p class="muted">
        to continue to <span class="client">${view.clientName}</span>
        <span class="tag">unverified name</span>
      </p>
      ${view.error !== undefined && html`<p class="error" role="alert">${view.error}</p>`}
      <form method="post" action="${view.action}" autocomplete="on">
        <input type="hidden" name="csrf" value="${view.csrfToken}" />
        <label for="username">Username</label>
        <input
          type="text"
          id="username"
          name="username"
          value="${view.username ?? ''}"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          autofocus
          maxlength="256"
        />
        <label for="password">Password</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="current-password"
          required
          maxlength="1024"
        />
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>`,
  );
}
