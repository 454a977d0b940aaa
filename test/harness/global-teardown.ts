/** jest globalTeardown: stops the embedded PostgreSQL the setup started, if any. */
// eslint-disable-next-line no-restricted-syntax -- jest loads a global hook's default export
export default async function globalTeardown(): Promise<void> {
  await globalThis.dcrTestDatabase?.stop();
  globalThis.dcrTestDatabase = undefined;
}
