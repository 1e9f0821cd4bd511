import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
// Order matters where rules tie: base first, responsive overrides last.
import './styles/base.css';
import './styles/knowledge.css';
import './styles/buttons.css';
import './styles/shell.css';
import './styles/page.css';
import './styles/forms.css';
import './styles/inbox.css';
import './styles/conversation.css';
import './styles/messages.css';
import './styles/reply.css';
import './styles/widgets.css';
import './styles/branding.css';
import './styles/team.css';
import './styles/security.css';
import './styles/tokens.css';
import './styles/data-protection.css';
import './styles/service.css';
import './styles/receipts.css';
import './styles/lifecycle.css';
import './styles/responsive.css';
import './styles/layout.css';
import './styles/shortcuts.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
