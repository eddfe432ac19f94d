// Hands a file made on the device (a PDF, a CSV, a workbook) to the browser as a download. Small and free of the
// PDF writer, so that a screen can import it without loading what makes the file.

/** Saves `blob` under `fileName` through the browser's download. */
export function downloadFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // Kept a while after the click: some browsers read the file after the handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves `bytes` as a PDF file through the browser's download. */
export const downloadPdf = (bytes: Uint8Array, fileName: string) => downloadFile(new Blob([bytes as BlobPart], { type: 'application/pdf' }), fileName);
