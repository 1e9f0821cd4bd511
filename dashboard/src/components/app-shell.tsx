import { type ReactNode, useEffect, useState } from 'react';
import { can } from '../../../protocol/permissions.js';
import { errorMessage } from '../api.js';
import { Link, usePathname } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { NAV_ITEMS } from '../nav.js';
import { AlertsCount } from './alerts-count.js';
import { ConnectionBanner } from './connection-banner.js';
import { MessageNotifier } from './message-notifier.js';
import { UnreadCount } from './unread-count.js';

const ROLE_LABEL = {
  administrator: 'Administrator',
  supervisor: 'Supervisor',
  operator: 'Operator',
} as const;

/** The frame of every signed-in screen: top bar, navigation, live-connection status, content. */
export function AppShell({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const pathname = usePathname();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  // On a phone the sections fold behind a menu button (layout.css); moving to a section folds it again.
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new path is the trigger, not an input
  useEffect(() => setMenuOpen(false), [pathname]);

  const onSignOut = async () => {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await signOut();
    } catch (e) {
      setSignOutError(`Could not sign out: ${errorMessage(e)}`);
      setSigningOut(false);
    }
  };

  const items = NAV_ITEMS.filter((item) => !item.permission || can(me.role, item.permission));
  return (
    <div className="shell">
      <MessageNotifier />
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="logo" aria-hidden="true" />
          <span className="brand-name">Parley</span>
          <span className="workspace-name" title="Workspace">
            {me.workspace.name}
          </span>
        </div>
        <button
          type="button"
          className="button button-quiet menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          data-testid="menu-button"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
          <UnreadCount />
        </button>
        <nav id="main-nav" className={`topbar-nav${menuOpen ? ' is-open' : ''}`} aria-label="Main">
          {items.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <Link
                key={item.href}
                href={item.href}
                className="nav-link"
                aria-current={active ? 'page' : undefined}
              >
                {item.label}
                {item.href === '/inbox' && <UnreadCount />}
                {item.href === '/settings/alerts' && <AlertsCount />}
              </Link>
            );
          })}
        </nav>
        <div className="topbar-user">
          <Link
            href="/account"
            className="user-name user-link"
            title="Your account: password and sessions"
            aria-current={pathname === '/account' ? 'page' : undefined}
            data-testid="account-link"
          >
            {me.user.name}
          </Link>
          <span className={`role-badge role-${me.role}`}>{ROLE_LABEL[me.role]}</span>
          <button
            type="button"
            className="button button-quiet"
            data-testid="sign-out"
            onClick={onSignOut}
            disabled={signingOut}
          >
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </header>
      <ConnectionBanner />
      {signOutError && (
        <div className="banner banner-error" role="alert">
          {signOutError}
        </div>
      )}
      <main id="main" className="shell-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
