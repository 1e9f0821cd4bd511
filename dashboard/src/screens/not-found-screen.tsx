import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';

export function NotFoundScreen() {
  useTitle('Not found');
  return (
    <div className="page">
      <div className="empty-state">
        <h1 className="page-title">Nothing here</h1>
        <p>This address does not match any page of the dashboard.</p>
        <Link href="/inbox" className="button">
          Go to the inbox
        </Link>
      </div>
    </div>
  );
}
