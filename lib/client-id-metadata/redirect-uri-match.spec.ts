import { redirectUriMatches } from './redirect-uri-match.js';

describe('redirectUriMatches', () => {
  const registered = [
    'http://localhost/callback',
    'http://127.0.0.1:8080/cb',
    'https://app.test/cb',
  ];

  it.each([
    'http://localhost/callback',
    'http://localhost:53682/callback',
    'http://127.0.0.1/cb',
    'http://127.0.0.1:9999/cb',
    'https://app.test/cb',
  ])('accepts %s', (presented) => {
    expect(redirectUriMatches(registered, presented)).toBe(true);
  });

  it.each([
    'http://localhost:53682/callback/',
    'http://localhost:53682/other',
    'http://LOCALHOST:53682/callback',
    'http://localhost.evil.test:53682/callback',
    'http://[::1]:53682/callback',
    'https://localhost:53682/callback',
    'https://app.test:8443/cb',
    'http://localhost:53682/callback?x=1',
  ])('refuses %s', (presented) => {
    expect(redirectUriMatches(registered, presented)).toBe(false);
  });
});
