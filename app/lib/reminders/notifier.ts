// The phone's side of reminders (M9): what is due from the patient's chart (synced, so it works offline) and from
// the account's consultations, shown in the app and as a system notification where the device allows. Each reminder
// is shown once per device (its id is kept); one due while the phone was off or offline is shown when the app next
// runs, and stays listed until it is marked seen: a due reminder is always either shown or visibly waiting.
import { remindersToShow, type Reminder } from '@telehealth/domain';

export type NotifyDeps = {
  now: () => number;
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  /** Shows a system notification (the service worker's registration), or false where the device does not allow it. */
  show: (r: Reminder) => Promise<boolean>;
};

const maxKept = 5_000;

export class ReminderNotifier {
  #shown: Set<string>;
  #seen: Set<string>;

  constructor(
    private readonly key: string,
    private readonly deps: NotifyDeps
  ) {
    this.#shown = this.#load('shown');
    this.#seen = this.#load('seen');
  }

  #load(part: string): Set<string> {
    try {
      const v = JSON.parse(this.deps.storage?.getItem(`${this.key}.${part}`) ?? '[]') as unknown;
      return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    } catch {
      return new Set();
    }
  }

  #save(part: string, set: Set<string>) {
    this.deps.storage?.setItem(`${this.key}.${part}`, JSON.stringify([...set].slice(-maxKept)));
  }

  /** Looks at the reminders now: notifies the new ones that are due; returns every due one not yet seen, oldest first. */
  async check(reminders: readonly Reminder[]): Promise<Reminder[]> {
    // One check at a time: two that overlap (a chart changing while a notification is shown) must not notify twice.
    const run = this.#chain.then(() => this.#check(reminders));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #chain: Promise<unknown> = Promise.resolve();

  async #check(reminders: readonly Reminder[]): Promise<Reminder[]> {
    const now = this.deps.now();
    const { notify } = remindersToShow(reminders, now, this.#shown);
    // Counted as shown before it is shown: shown in the app whatever happens, as a notification where allowed.
    for (const r of notify) this.#shown.add(r.id);
    if (notify.length) this.#save('shown', this.#shown);
    for (const r of notify) await this.deps.show(r).catch(() => false);
    return remindersToShow(reminders, now, this.#seen).listed;
  }

  /** The person read it: it leaves the list (and is never notified again). */
  markSeen(id: string) {
    this.#seen.add(id);
    this.#shown.add(id);
    this.#save('seen', this.#seen);
    this.#save('shown', this.#shown);
  }
}

/** A system notification through the service worker, carrying no more than the reminder's own words. */
export async function showSystemNotification(r: Reminder, unitName: string): Promise<boolean> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !('serviceWorker' in navigator)) return false;
  // The service worker may still be installing on the app's first start: wait for it a while.
  const registration = await Promise.race([navigator.serviceWorker.ready, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000))]);
  if (!registration) return false;
  await registration.showNotification(r.title, { body: [r.body, unitName].filter(Boolean).join('\n'), tag: `reminder-${r.id}`, data: { url: '/' } });
  return true;
}
