// The SMS channel of reminders, behind one interface (M9): a station's phone gateway (an HTTP endpoint: an Android
// SMS gateway app on the station's phone, or a USB modem's service) in production, a file in tests and demos.
// Configured by SMS_GATEWAY (off, file, or the gateway's http(s) URL) and SMS_GATEWAY_TOKEN.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export type SmsGateway = {
  /** Sends one message; throws with the reason when the gateway does not take it. */
  send(to: string, text: string): Promise<void>;
};

/** Messages appended to a file, one JSON line each (`{"at", "to", "text"}`): the stand-in for tests and the demo. */
export function fileSms(file: string, now: () => number = Date.now): SmsGateway {
  return {
    async send(to, text) {
      mkdirSync(path.dirname(file), { recursive: true });
      appendFileSync(file, JSON.stringify({ at: new Date(now()).toISOString(), to, text }) + '\n', { mode: 0o600 });
    }
  };
}

/** A gateway over HTTP: POST `{"to", "text"}` as JSON, with the bearer token if given; any 2xx is taken. */
export function httpSms(url: string, token: string | undefined, timeoutMs = 15_000): SmsGateway {
  return {
    async send(to, text) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(timeoutMs)
      });
      if (!res.ok) throw new Error(`the SMS gateway answered ${res.status}`);
    }
  };
}
