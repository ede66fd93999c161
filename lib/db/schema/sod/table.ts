/** A rule's setting where it differs from the default. `params` is a JSON object. */
export interface SodRuleSettingTable {
  rule_id: string;
  enabled: 0 | 1;
  severity: string;
  params: string | null;
  updated_by: string;
  updated_at: number;
}

/** Every change to a rule setting: who, when, and the setting before and after (JSON). */
export interface SodSettingChangeTable {
  id: string;
  rule_id: string;
  changed_by: string;
  changed_by_name: string;
  changed_at: number;
  before: string;
  after: string;
}
