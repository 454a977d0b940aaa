/** The resolved `fetch` options (ResolvedOutboundFetchOptions); inject with @Inject(DCR_FETCH_OPTIONS). */
export const DCR_FETCH_OPTIONS = Symbol.for('nestjs-dcr.fetch-options');
