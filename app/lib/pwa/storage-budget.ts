// When the device's storage is running short: below 10% of the quota or 50 MB left, whichever is larger
// (a commune's records take about 10 MB; photos of paper results take more).

const minimumFreeBytes = 50 * 1024 * 1024;

export function storageRunningShort(usageBytes: number | undefined, quotaBytes: number | undefined): boolean {
  if (usageBytes === undefined || quotaBytes === undefined || quotaBytes <= 0) return false;
  const free = quotaBytes - usageBytes;
  return free < Math.max(minimumFreeBytes, quotaBytes * 0.1);
}
