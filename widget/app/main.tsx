/** @jsxImportSource preact */
import { render } from 'preact';
import { App } from './app.js';
import { waitForHost } from './host.js';
import { TextsContext } from './i18n/context.js';
import { choiceOf, chooseLanguage, loadCatalogue, textsFor } from './i18n/index.js';
import { applyLook } from './look.js';
import './app.css';

// Listen before anything renders: the loader says hello as soon as this document has loaded.
const host = waitForHost();

const root = document.getElementById('app');
const widgetId = root?.dataset.widgetId ?? '';
if (root && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(widgetId)) {
  const look = applyLook(root.dataset);
  // Chosen once, before anything is shown: the visitor's browser languages, within the widget's settings.
  const lang = chooseLanguage(choiceOf(root.dataset), navigator.languages);
  // English, the catalogue in this file, if the language's own cannot be loaded.
  void loadCatalogue(lang)
    .then((catalogue) => textsFor(lang, catalogue))
    .catch(() => textsFor('en'))
    .then((texts) => {
      document.documentElement.lang = texts.lang;
      document.documentElement.dir = texts.dir;
      render(
        <TextsContext.Provider value={texts}>
          <App widgetId={widgetId} host={host} look={look} />
        </TextsContext.Provider>,
        root,
      );
    });
}
