import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Adds the actions to each alarm for the ALARM and OK states (composite or imported alarms are skipped). */
export function wireAlarmActions(alarms: cloudwatch.IAlarm[], actions: cloudwatch.IAlarmAction[]): void {
  if (actions.length === 0) {
    // Older aws-cdk-lib releases render an empty AlarmActions list for a call without actions.
    return;
  }
  for (const alarm of alarms) {
    if (alarm instanceof cloudwatch.Alarm) {
      alarm.addAlarmAction(...actions);
      alarm.addOkAction(...actions);
    }
  }
}
