/** What other modules may read of widgets (this module owns the table; they never query it). */

export { greetingTranslationsOf } from './widget.presenter.js';
export { findWidgetById, findWidgetInWorkspace, listWidgetsInWorkspace } from './widget.repository.js';
