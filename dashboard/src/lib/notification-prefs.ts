import type { NotificationSettings } from '../../../protocol/receipts.js';

/**
 * The signed-in agent's notification settings (stored on the server per agent), shared by the
 * notifier and the controls that change them. Both on until loaded or changed.
 */
class NotificationPrefs {
  private value: NotificationSettings = { sound: true, desktop: true };
  private readonly listeners = new Set<() => void>();

  get snapshot(): NotificationSettings {
    return this.value;
  }

  set(next: NotificationSettings): void {
    if (next.sound === this.value.sound && next.desktop === this.value.desktop) return;
    this.value = next;
    for (const l of this.listeners) l();
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const notificationPrefs = new NotificationPrefs();

/** A short tone through Web Audio: no sound file to load, nothing to allow in the CSP. */
export function chime(): void {
  if (!notificationPrefs.snapshot.sound) return;
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch {
    /* no audio device: the badge still shows it */
  }
}

/** A desktop notification, if the agent wants them and the browser allows them. */
export function notifyDesktop(title: string, body: string, tag: string): void {
  if (!notificationPrefs.snapshot.desktop) return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag });
  } catch {
    /* some browsers allow notifications only from a service worker */
  }
}
