/** What the consent page says each scope lets the application do; unknown scopes show their name. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'know your account identifier on this server',
  offline_access: 'stay signed in and act for you while you are away',
};

export function describeScope(scope: string, registrationScope: string): string {
  if (scope === registrationScope) return 'register and manage OAuth clients on this server';
  return DESCRIPTIONS[scope] ?? 'a permission named by the application';
}
