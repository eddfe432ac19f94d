// Raw deflate with the platform's CompressionStream (browsers, and Node for tests): stored snapshots are
// Yjs updates, which deflate to a fraction of their size.

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export const deflate = (bytes: Uint8Array) => through(bytes, new CompressionStream('deflate-raw'));
export const inflate = (bytes: Uint8Array) => through(bytes, new DecompressionStream('deflate-raw'));
