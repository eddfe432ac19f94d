// @telehealth/sync-client: the device side of the sync protocol, independent of where the device keeps its data.
export { SyncClient, SyncState, pendingDocs, type SyncStatus, type SyncClientOptions, type SocketLike, type SocketFactory } from './sync-client';
export type { DeviceStore, OutboxEntry } from './device-store';
export { MemoryDeviceStore, remoteOrigin } from './memory-store';
export { ownChanges } from './own-changes';
