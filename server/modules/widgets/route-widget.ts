/**
 * Which team a widget's handoffs go to: set by the service settings, cleared when a team is deleted
 * (the handoff module calls these; the widgets module owns the table).
 */
export { setWidgetTeam, unrouteWidgetsOfTeam } from './widget.repository.js';
