// Which documents changed, for each reader of the device's indexes: a list keeps its rows in memory and re-reads
// only the documents that changed since it last looked, instead of its whole table on every change.
export class ChangeFeed {
  private ids = new Set<string>();

  push(docIds: Iterable<string>) {
    for (const id of docIds) this.ids.add(id);
  }

  /** The documents changed since the last call. */
  take(): string[] {
    const ids = [...this.ids];
    this.ids.clear();
    return ids;
  }
}

export class ChangeFeeds {
  private readonly feeds = new Set<ChangeFeed>();

  create(): ChangeFeed {
    const feed = new ChangeFeed();
    this.feeds.add(feed);
    return feed;
  }

  push(docIds: string[]) {
    for (const feed of this.feeds) feed.push(docIds);
  }
}
