import type { ReactNode } from 'react';
import type { Params } from './lib/router.js';
import { ArchiveScreen } from './screens/archive-screen.js';
import { ArchivesScreen } from './screens/archives-screen.js';
import { InboxScreen } from './screens/inbox-screen.js';
import { LoginScreen } from './screens/login-screen.js';
import { NewWidgetScreen } from './screens/new-widget-screen.js';
import { SetupScreen } from './screens/setup-screen.js';
import { WidgetDetailScreen } from './screens/widget-detail-screen.js';
import { WidgetsScreen } from './screens/widgets-screen.js';

/**
 * Every screen of the dashboard. `public` screens render without a session; the others render inside
 * the signed-in app shell. Order matters: the first matching pattern wins (`/widgets/new` before
 * `/widgets/:widgetId`). Screens reached from the same route family keep their state when the
 * pattern's params change (the inbox list stays mounted while conversations switch).
 */
export interface RouteDef {
  path: string;
  public?: boolean;
  render: (params: Params) => ReactNode;
}

export const ROUTES: readonly RouteDef[] = [
  { path: '/setup', public: true, render: () => <SetupScreen /> },
  { path: '/login', public: true, render: () => <LoginScreen /> },
  { path: '/inbox', render: () => <InboxScreen conversationId={null} /> },
  {
    path: '/inbox/:conversationId',
    render: (p) => <InboxScreen conversationId={p.conversationId ?? null} />,
  },
  { path: '/widgets', render: () => <WidgetsScreen /> },
  { path: '/widgets/new', render: () => <NewWidgetScreen /> },
  { path: '/widgets/:widgetId', render: (p) => <WidgetDetailScreen widgetId={p.widgetId ?? ''} /> },
  { path: '/archives', render: () => <ArchivesScreen /> },
  { path: '/archives/:archiveId', render: (p) => <ArchiveScreen archiveId={p.archiveId ?? ''} /> },
];

export const HOME = '/inbox';
