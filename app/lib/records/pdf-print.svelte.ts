// One "print" button's state, for every screen that makes a PDF on the device (the form, the request, the minutes, a
// prescription): busy while the PDF is made, whether it failed, and the characters its fonts could not print (drawn
// as empty boxes and named to the user, never a silent "?"). `PrintProblems.svelte` shows the last two.
export class PdfPrint {
  busy = $state(false);
  failed = $state(false);
  unprintable = $state<string[]>([]);

  /** Makes and hands over the PDF with `make`, which returns the characters it could not print. */
  async run(make: () => Promise<{ unprintable: string[] }>) {
    this.busy = true;
    this.failed = false;
    this.unprintable = [];
    try {
      this.unprintable = (await make()).unprintable;
    } catch (e) {
      console.error('pdf', e);
      this.failed = true;
    } finally {
      this.busy = false;
    }
  }

  /** "💊 (U+1F48A), …": each character the fonts lack, with its code point. */
  get unprintableText(): string {
    return this.unprintable.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
  }
}
