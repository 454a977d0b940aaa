import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

export interface ConsentScope {
  name: string;
  description: string;
  /** Requested but not granted to this user (e.g. the registration scope for a non-administrator). */
  refused?: string;
}

export interface ConsentView {
  action: string;
  csrfToken: string;
  clientName: string;
  clientId: string;
  /** Host of client_uri, when the client gave one (self-asserted). */
  clientWebsite?: string;
  /** For a URL client_id (Client ID Metadata Document): the host that serves its metadata. */
  documentHost?: string;
  /** Where the answer goes: the host (or scheme) of this request's redirect URI. */
  redirectTarget: string;
  /** Every registered redirect URI is on this computer (localhost / loopback). */
  localOnly: boolean;
  username: string;
  scopes: readonly ConsentScope[];
}

function scopeItem(scope: ConsentScope): SafeHtml {
  return scope.refused === undefined
    ? html`<li><code>${scope.name}</code> ${scope.description}</li>`
    : html`<li>
        <span class="refused"><code>${scope.name}</code> ${scope.description}</span><br /><span
          class="muted"
          >${scope.refused}</span
        >
      </li>`;
}

/** The consent page. The form contract: one POST form with `decision` buttons `allow` and `deny`. */
export function consentPage(view: ConsentView): string {
  return layout(
    'Authorize access',
    html`<h1>Authorize <span class="client">${view.clientName}</span></h1>
      ${
        view.documentHost !== undefined &&
        html`<p>
          Published by <strong class="client">${view.documentHost}</strong>: this application's
          description is served from that host.
        </p>`
      }
      <p class="muted">
        <span class="tag">unverified</span> The name and website are stated by the application
        itself.
      </p>
      ${
        view.localOnly &&
        html`<p class="warning" role="alert">
          This application runs on a computer, not a website: every address it registered is on
          localhost. Allow it only if you started it yourself.
        </p>`
      }
      <dl>
        <dt>Application id</dt>
        <dd>${view.clientId}</dd>
        ${
          view.clientWebsite !== undefined &&
          html`<dt>Website (unverified)</dt>
            <dd>${view.clientWebsite}</dd>`
        }
        <dt>Your answer is sent to</dt>
        <dd>${view.redirectTarget}</dd>
        <dt>Signed in as</dt>
        <dd>${view.username}</dd>
      </dl>
      <p>It will be able to:</p>
      <ul class="scopes">
        ${view.scopes.map(scopeItem)}
      </ul>
      <form method="post" action="${view.action}">
        <input type="hidden" name="csrf" value="${view.csrfToken}" />
        <div class="actions">
          <button type="submit" class="secondary" name="decision" value="deny">Deny</button>
          <button type="submit" name="decision" value="allow">Allow</button>
        </div>
      </form>`,
  );
}
