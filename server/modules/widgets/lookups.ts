/** What other modules may read of widgets (this module owns the table; they never query it). */
export { findWidgetById, findWidgetInWorkspace, listWidgetsInWorkspace } from './widget.repository.js';
