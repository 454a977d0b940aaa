import { Inject, Injectable } from '@nestjs/common';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';

/**
 * Decides which hosts' Client ID Metadata Documents are trusted at all,
 * before anything is fetched. The default reads the `allowedHosts` /
 * `deniedHosts` options; a class of your own (the `clientIdMetadataPolicy`
 * extra) may consult anything, e.g. a database of approved publishers.
 */
export abstract class ClientIdMetadataPolicy {
  abstract isTrusted(url: URL): boolean | Promise<boolean>;
}

/** `example.com` names that host; `.example.com` names its subdomains. */
function matches(host: string, entry: string): boolean {
  return entry.startsWith('.') ? host.endsWith(entry) : host === entry;
}

@Injectable()
export class HostListClientIdMetadataPolicy extends ClientIdMetadataPolicy {
  constructor(@Inject(DCR_OPTIONS) protected readonly options: ResolvedDcrOptions) {
    super();
  }

  isTrusted(url: URL): boolean {
    const { allowedHosts, deniedHosts } = this.options.clientIdMetadataDocuments;
    const host = url.hostname;
    if (deniedHosts.some((entry) => matches(host, entry))) return false;
    return allowedHosts === undefined || allowedHosts.some((entry) => matches(host, entry));
  }
}
