// The commune list of a select: in Vietnamese alphabetical order (Đ after D, tones after the plain letter), with the
// station's own commune first — most patients live there.
type Commune = { code: string; name: string };

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function communeChoices<C extends Commune>(communes: readonly C[], firstCode?: string | null): C[] {
  const sorted = [...communes].sort((a, b) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code));
  const at = firstCode ? sorted.findIndex((c) => c.code === firstCode) : -1;
  return at > 0 ? [sorted[at]!, ...sorted.slice(0, at), ...sorted.slice(at + 1)] : sorted;
}
