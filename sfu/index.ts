// The small SFU (Janus from Debian): its generated configuration, its process, and a Janus API client over WebSocket.
export { janusConfigFiles, writeJanusConfig, loadOrCreateSecrets, type JanusSettings, type JanusSecrets } from './janus-config';
export { findJanus, startJanus, type JanusInstall, type RunningJanus, type SfuLog } from './janus-process';
export { JanusSocket, JanusError, type JanusMessage } from './janus-socket';
