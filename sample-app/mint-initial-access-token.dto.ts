import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The body of POST /connect/initial-access-tokens (all members optional). */
export class MintInitialAccessTokenDto {
  /** Seconds; default one hour, at most thirty days. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  expires_in?: number;

  /** Registrations it allows; default one. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  max_uses?: number;
}
