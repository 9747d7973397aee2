DROP TABLE automation_rule_executions;
DROP TABLE automation_rules;
