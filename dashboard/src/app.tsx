import { useEffect } from 'react';
import { AppShell } from './components/app-shell.js';
import { SessionProvider } from './components/session-provider.js';
import { matchPath, navigate, usePathname } from './lib/router.js';
import { HOME, ROUTES } from './routes.js';
import { NotFoundScreen } from './screens/not-found-screen.js';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const pathname = usePathname();
  if (pathname === '/' || pathname === '') return <Redirect to={HOME} />;

  let content = null;
  let isPublic = false;
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) {
      content = route.render(params);
      isPublic = route.public === true;
      break;
    }
  }
  if (isPublic) return content;
  return (
    <SessionProvider>
      <AppShell>{content ?? <NotFoundScreen />}</AppShell>
    </SessionProvider>
  );
}
