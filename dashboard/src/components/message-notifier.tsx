import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useInbox, useSeen } from '../hooks/use-live.js';
import { chime, notificationPrefs, notifyDesktop } from '../lib/notification-prefs.js';
import { matchPath, usePathname } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { receiptsApi } from '../receipts-api.js';

/**
 * A tone and a desktop notification when a conversation assigned to this agent gets a message they
 * have not read: not for their own messages (their cursor moved with them), and not for the
 * conversation they have open in a visible tab. No message text leaves the page: the notification
 * names the visitor only.
 */
export function MessageNotifier() {
  const { me } = useSession();
  const { items } = useInbox();
  const seen = useSeen();
  const pathname = usePathname();
  const openId = matchPath('/inbox/:conversationId', pathname)?.conversationId ?? null;
  const last = useRef<Map<string, number> | null>(null);

  useEffect(() => {
    receiptsApi.notificationSettings(me.workspace.id).then(
      (s) => notificationPrefs.set(s),
      () => {},
    );
  }, [me.workspace.id]);

  useEffect(() => {
    const before = last.current;
    last.current = new Map(items.map((c) => [c.id, c.lastSeq]));
    if (!before) return;
    const fresh = items.filter(
      (c) =>
        c.query?.assigneeId === me.user.id &&
        c.lastSeq > (before.get(c.id) ?? c.lastSeq) &&
        c.lastSeq > (seen[c.id] ?? 0) &&
        !(c.id === openId && document.visibilityState === 'visible'),
    );
    const first = fresh[0];
    if (!first) return;
    chime();
    notifyDesktop('New message', `${first.visitor.name} wrote to you.`, first.id);
  }, [items, seen, openId, me.user.id]);

  return null;
}

/** The agent's own switches for the tone and the desktop notification, stored on the server. */
export function NotificationControls() {
  const { me } = useSession();
  const subscribe = useCallback((cb: () => void) => notificationPrefs.listen(cb), []);
  const prefs = useSyncExternalStore(subscribe, () => notificationPrefs.snapshot);
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  const [error, setError] = useState<string | null>(null);
  const change = (next: typeof prefs) => {
    const previous = prefs;
    notificationPrefs.set(next);
    setError(null);
    receiptsApi.setNotificationSettings(me.workspace.id, next).catch(() => {
      notificationPrefs.set(previous);
      setError('Could not save the notification setting.');
    });
  };
  return (
    <fieldset className="notification-settings" data-testid="notification-settings">
      <legend className="visually-hidden">Notifications for new messages</legend>
      <label>
        <input
          type="checkbox"
          checked={prefs.sound}
          onChange={(e) => change({ ...prefs, sound: e.target.checked })}
          data-testid="notify-sound"
        />
        Sound
      </label>
      <label>
        <input
          type="checkbox"
          checked={prefs.desktop}
          onChange={(e) => change({ ...prefs, desktop: e.target.checked })}
          data-testid="notify-desktop"
        />
        Desktop notifications
      </label>
      {prefs.desktop && permission === 'default' && (
        <button
          type="button"
          className="button button-small"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          Allow in this browser
        </button>
      )}
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
