import { consentPage, type ConsentView } from '../../sample-app/interactions/views/consent.view.js';

const VIEW: ConsentView = {
  action: '/interaction/abc',
  csrfToken: 'token',
  clientName: 'Claude Code',
  clientId: 'https://claude.ai/oauth/claude-code-client-metadata',
  redirectTarget: 'localhost',
  localOnly: true,
  username: 'alice',
  scopes: [],
};

describe('consent page for a URL client (Client ID Metadata Document)', () => {
  it("shows the document's host prominently, and the localhost warning", () => {
    const page = consentPage({ ...VIEW, documentHost: 'claude.ai' });
    expect(page).toMatch(/Published by <strong class="client">claude\.ai<\/strong>/);
    expect(page).toContain('every address it registered is on');
  });

  it('escapes the host like every other value', () => {
    const page = consentPage({ ...VIEW, documentHost: '<img src=x>' });
    expect(page).not.toContain('<img src=x>');
    expect(page).toContain('&lt;img src=x&gt;');
  });

  it('says nothing of a publisher for a registered client', () => {
    expect(consentPage(VIEW)).not.toContain('Published by');
  });
});
