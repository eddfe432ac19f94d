/// <reference types="vite/client" />
// The shipped ICD-10 list as the app carries it: a file of the build of its own (≈ 2 MB, ≈ 220 KB brotli), not
// part of the app shell, fetched when a screen first needs ICD-10 and kept on the device (app/lib/catalogs.svelte.ts).
// Its header (version, count) is small and travels with the shell, so the device can ask the server whether its
// list is current without loading it.
import url from './data/icd10-official.json?url';
import meta from './data/icd10-official.meta.json';

export const icd10DataUrl: string = url;
export const icd10BuiltIn: { effectiveFrom: string; version: string; count: number } = meta;
