import { api } from '../api.js';
import { WidgetForm } from '../components/widget-form.js';
import { useTitle } from '../hooks/use-title.js';
import { Link, navigate } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';

export function NewWidgetScreen() {
  useTitle('New widget');
  const { me, isAdmin } = useSession();

  return (
    <div className="page page-narrow">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/widgets">Widgets</Link> <span aria-hidden="true">/</span> <span>New widget</span>
      </nav>
      <h1 className="page-title">New widget</h1>
      {isAdmin ? (
        <WidgetForm
          submitLabel="Create widget"
          busyLabel="Creating…"
          onSubmit={async (body) => {
            const widget = await api.createWidget(me.workspace.id, body);
            navigate(`/widgets/${widget.id}?created=1`);
          }}
          onCancel={() => navigate('/widgets')}
        />
      ) : (
        <div className="notice" role="status">
          Only administrators can create widgets. Ask an administrator of {me.workspace.name} to add one.
        </div>
      )}
    </div>
  );
}
