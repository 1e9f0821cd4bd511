/** @jsxImportSource preact */
import { render } from 'preact';
import { App } from './app.js';
import { waitForHost } from './host.js';
import { applyLook } from './look.js';
import './app.css';

// Listen before anything renders: the loader says hello as soon as this document has loaded.
const host = waitForHost();

const root = document.getElementById('app');
const widgetId = root?.dataset.widgetId ?? '';
if (root && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(widgetId)) {
  render(<App widgetId={widgetId} host={host} look={applyLook(root.dataset)} />, root);
}
