/** Security alerts administrators read (migration 2026-12-04-0601-security-alerts). */
export interface SecurityAlertsTable {
  id: string;
  workspace_id: string;
  rule: string;
  raised_at: string;
  /** JSON: the alert's facts (ids and counts; for refusal bursts the addresses and origins behind them). */
  facts: string;
  held_back: number;
}

/** An administrator's read position in the security alerts: the newest alert they were shown. */
export interface SecurityAlertReadsTable {
  user_id: string;
  workspace_id: string;
  seen_through: string;
}

export interface AlertTables {
  security_alerts: SecurityAlertsTable;
  security_alert_reads: SecurityAlertReadsTable;
}
