/**
 * Told about writes to clients, by ClientStore.watchClientChanges: what lets a
 * cache in front of the store (ClientLookupCache) drop what it holds.
 */
export interface ClientChangeListener {
  /**
   * `clientId` was created, replaced or deleted, at this instance or at another
   * one sharing the store's data; undefined: any client may have changed (e.g.
   * pruning deleted many).
   */
  clientsChanged(clientId: string | undefined): void;
  /**
   * False while changes made elsewhere may go unseen (the notification
   * connection is down); true once they are seen again. Changes in between are
   * not replayed: on either call assume that every client changed.
   */
  watching(live: boolean): void;
}

export interface ClientChangeSubscription {
  /** Stops the calls to the listener. */
  close(): void;
}

/** Fans the changes a store learns of out to its listeners, and says whether it is watching. */
export class ClientChangeFeed {
  private readonly listeners = new Set<ClientChangeListener>();

  constructor(private live: boolean) {}

  /** The listener is told at once whether the feed is live. */
  subscribe(listener: ClientChangeListener): ClientChangeSubscription {
    this.listeners.add(listener);
    listener.watching(this.live);
    return { close: () => this.listeners.delete(listener) };
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  changed(clientId: string | undefined): void {
    for (const listener of this.listeners) listener.clientsChanged(clientId);
  }

  setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    for (const listener of this.listeners) listener.watching(live);
  }
}
