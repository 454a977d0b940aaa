import type { SampleConfig } from '../config.js';

/** The path of an interaction's page (and of its form), under the public URL's path. */
export function interactionPath(config: SampleConfig, uid: string): string {
  const base = new URL(config.publicUrl).pathname.replace(/\/$/, '');
  return `${base}/interaction/${encodeURIComponent(uid)}`;
}
