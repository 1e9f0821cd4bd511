import type { ReactNode } from 'react';
import { RoleGate } from './components/role-gate.js';
import type { Params } from './lib/router.js';
import { AccountScreen } from './screens/account-screen.js';
import { AccountSecurityScreen } from './screens/account-security-screen.js';
import { ApiTokensScreen } from './screens/api-tokens-screen.js';
import { ArchiveScreen } from './screens/archive-screen.js';
import { ArchivesScreen } from './screens/archives-screen.js';
import { AuditScreen } from './screens/audit-screen.js';
import { ChannelsScreen } from './screens/channels-screen.js';
import { DirectoryScreen } from './screens/directory-screen.js';
import { ForgotPasswordScreen } from './screens/forgot-password-screen.js';
import { InboxScreen } from './screens/inbox-screen.js';
import { InviteScreen } from './screens/invite-screen.js';
import { KnowledgeScreen } from './screens/knowledge-screen.js';
import { LeadsScreen } from './screens/leads-screen.js';
import { LoginScreen } from './screens/login-screen.js';
import { NewWidgetScreen } from './screens/new-widget-screen.js';
import { OutboxScreen } from './screens/outbox-screen.js';
import { ReportsScreen } from './screens/reports-screen.js';
import { ResetPasswordScreen } from './screens/reset-password-screen.js';
import { SecurityAlertsScreen } from './screens/security-alerts-screen.js';
import { SecuritySettingsScreen } from './screens/security-settings-screen.js';
import { ServiceSettingsScreen } from './screens/service-settings-screen.js';
import { SetupScreen } from './screens/setup-screen.js';
import { SignInEnrollScreen } from './screens/sign-in-enroll-screen.js';
import { SignInSettingsScreen } from './screens/sign-in-settings-screen.js';
import { SignInVerifyScreen } from './screens/sign-in-verify-screen.js';
import { TeamScreen } from './screens/team-screen.js';
import { UnsubscribeScreen } from './screens/unsubscribe-screen.js';
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
  { path: '/invite', public: true, render: () => <InviteScreen /> },
  { path: '/forgot-password', public: true, render: () => <ForgotPasswordScreen /> },
  { path: '/reset-password', public: true, render: () => <ResetPasswordScreen /> },
  { path: '/unsubscribe', public: true, render: () => <UnsubscribeScreen /> },
  // Signed in, but the second factor or MFA setup is still owed: outside the app shell.
  { path: '/sign-in/verify', public: true, render: () => <SignInVerifyScreen /> },
  { path: '/sign-in/enroll', public: true, render: () => <SignInEnrollScreen /> },
  { path: '/inbox', render: () => <InboxScreen conversationId={null} /> },
  {
    path: '/inbox/:conversationId',
    render: (p) => <InboxScreen conversationId={p.conversationId ?? null} />,
  },
  { path: '/widgets', render: () => <WidgetsScreen /> },
  { path: '/widgets/new', render: () => <NewWidgetScreen /> },
  { path: '/widgets/:widgetId', render: (p) => <WidgetDetailScreen widgetId={p.widgetId ?? ''} /> },
  { path: '/knowledge', render: () => <KnowledgeScreen /> },
  { path: '/team', render: () => <TeamScreen /> },
  { path: '/leads', render: () => <LeadsScreen /> },
  { path: '/account', render: () => <AccountScreen /> },
  { path: '/audit', render: () => <AuditScreen /> },
  { path: '/outbox', render: () => <OutboxScreen /> },
  { path: '/account/security', render: () => <AccountSecurityScreen /> },
  { path: '/settings/security', render: () => <SecuritySettingsScreen /> },
  {
    path: '/settings/sign-in',
    render: () => (
      <RoleGate permission="security.manage" title="Company sign-in">
        <SignInSettingsScreen />
      </RoleGate>
    ),
  },
  {
    path: '/settings/directory',
    render: () => (
      <RoleGate permission="security.manage" title="Directory (LDAP)">
        <DirectoryScreen />
      </RoleGate>
    ),
  },
  {
    path: '/settings/alerts',
    render: () => (
      <RoleGate permission="security.manage" title="Security alerts">
        <SecurityAlertsScreen />
      </RoleGate>
    ),
  },
  {
    path: '/settings/service',
    render: () => (
      <RoleGate permission="service.manage" title="Customer service">
        <ServiceSettingsScreen />
      </RoleGate>
    ),
  },
  {
    path: '/reports',
    render: () => (
      <RoleGate permission="reports.read" title="Reports">
        <ReportsScreen />
      </RoleGate>
    ),
  },
  {
    path: '/settings/channels',
    render: () => (
      <RoleGate permission="widgets.manage" title="Channels">
        <ChannelsScreen />
      </RoleGate>
    ),
  },
  { path: '/api-tokens', render: () => <ApiTokensScreen /> },
  { path: '/archives', render: () => <ArchivesScreen /> },
  { path: '/archives/:archiveId', render: (p) => <ArchiveScreen archiveId={p.archiveId ?? ''} /> },
];

export const HOME = '/inbox';
