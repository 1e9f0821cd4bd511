/** What other modules may read of widgets (this module owns the table; they never query it). */

export { requireWidget } from './require-widget.js';
export { greetingTranslationsOf } from './widget.presenter.js';
export { findWidgetById, listWidgetsInWorkspace } from './widget.repository.js';
