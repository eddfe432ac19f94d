// The stock y-websocket server (@y/websocket-server 0.1.1 utils), as its README wires it, with
// permessage-deflate on and one document preloaded: node --import tsx stock-server.ts PORT BASE_FILE
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import * as utils from '@y/websocket-server/utils';

const [port, baseFile] = process.argv.slice(2);
const base = readFileSync(baseFile!);
utils.setPersistence({
  provider: null,
  bindState: (_name: string, doc: Y.Doc) => Y.applyUpdate(doc, base),
  writeState: async () => {}
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
const server = http.createServer((_req, res) => res.end('ok'));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => utils.setupWSConnection(ws, req)));
server.listen(Number(port), '0.0.0.0');
process.on('SIGINT', () => process.exit(0));
