/** Resolved `registration` options (ResolvedRegistrationAuthOptions); inject with @Inject. */
export const DCR_REGISTRATION_AUTH = Symbol.for('nestjs-dcr.registration-auth');
