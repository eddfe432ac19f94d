// Photos of paper results attached to a consultation request (M6): resized on the device to a size a 2G link
// carries (a JPEG under 110 KB, at most 1280 px), stored in the request document offline, synced later.
import type * as Y from 'yjs';
import { mainRecord, writeFields } from '@telehealth/domain';
import { nowIso } from './dates';

export const photoLimits = {
  /** A file larger than this is refused before reading it. */
  maxSourceBytes: 25 * 1024 * 1024,
  /** The stored photo must fit one sync update (128 KiB) with room to spare. */
  maxStoredBytes: 110 * 1024,
  maxPhotos: 10,
  sides: [1280, 1024, 800],
  qualities: [0.72, 0.55, 0.4]
} as const;

export type Photo = { id: string; name: string; type: 'image/jpeg'; width: number; height: number; bytes: Uint8Array; at: string };

export type PhotoResult = { ok: true; photo: Photo } | { ok: false; reason: 'not_image' | 'source_too_large' | 'too_large_after_resize' | 'unreadable' | 'too_many' };

/** Reads, resizes and re-encodes an image file; refuses what cannot be made small enough. */
export async function preparePhoto(file: File, count: number): Promise<PhotoResult> {
  if (count >= photoLimits.maxPhotos) return { ok: false, reason: 'too_many' };
  if (!file.type.startsWith('image/')) return { ok: false, reason: 'not_image' };
  if (file.size > photoLimits.maxSourceBytes) return { ok: false, reason: 'source_too_large' };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  try {
    for (const side of photoLimits.sides) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return { ok: false, reason: 'unreadable' };
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(bitmap, 0, 0, width, height);
      for (const quality of photoLimits.qualities) {
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
        if (blob && blob.size <= photoLimits.maxStoredBytes) {
          const bytes = new Uint8Array(await blob.arrayBuffer());
          return { ok: true, photo: { id: crypto.randomUUID(), name: file.name.slice(0, 100), type: 'image/jpeg', width, height, bytes, at: new Date().toISOString() } };
        }
      }
    }
    return { ok: false, reason: 'too_large_after_resize' };
  } finally {
    bitmap.close();
  }
}

/** The attachments map of a request document: photo id → photo. */
export const attachments = (doc: Y.Doc) => doc.getMap<Photo>('attachments');

/** The ids of the photos a request lists. */
const attachmentIds = (doc: Y.Doc) => (mainRecord(doc, 'request').get('attachmentIds') as string[] | undefined) ?? [];

/** Attaches a photo to a request document: stored, and listed in the request's `attachmentIds`, in one change. */
export function attachPhoto(doc: Y.Doc, photo: Photo): void {
  doc.transact(() => {
    attachments(doc).set(photo.id, photo);
    writeFields(mainRecord(doc, 'request'), { attachmentIds: [...attachmentIds(doc), photo.id], updatedAt: nowIso() });
  });
}

/** Removes a photo from a request document, and from its list, in one change. */
export function detachPhoto(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    attachments(doc).delete(id);
    const ids = attachmentIds(doc).filter((x) => x !== id);
    writeFields(mainRecord(doc, 'request'), { attachmentIds: ids.length ? ids : undefined });
  });
}

/** An object URL for showing a photo: always typed as a JPEG image, whatever the record claims, so it can never open as a page. */
export function photoUrl(photo: Photo): string {
  return URL.createObjectURL(new Blob([photo.bytes as BlobPart], { type: 'image/jpeg' }));
}
