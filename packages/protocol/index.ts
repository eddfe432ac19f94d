// @telehealth/protocol: the sync protocol spoken between the app and the sync server.
export { PROTOCOL_VERSION, SYNC_PATH } from './version';
