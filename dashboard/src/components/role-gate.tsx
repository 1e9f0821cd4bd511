import type { ReactNode } from 'react';
import { can, type Permission } from '../../../protocol/permissions.js';
import { useTitle } from '../hooks/use-title.js';
import { NOT_FOR_ROLE } from '../lib/roles.js';
import { useSession } from '../lib/session-context.js';

function NotForRole({ title }: { title: string }) {
  useTitle(title);
  return (
    <div className="page">
      <h1 className="page-title">{title}</h1>
      <p className="form-error" role="alert">
        {NOT_FOR_ROLE}
      </p>
    </div>
  );
}

/** A screen only some roles may use; the others (who reach it by its address) are told so. */
export function RoleGate({
  permission,
  title,
  children,
}: {
  permission: Permission;
  title: string;
  children: ReactNode;
}) {
  const { me } = useSession();
  return can(me.role, permission) ? children : <NotForRole title={title} />;
}
