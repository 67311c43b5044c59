import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * What every construct in this library exposes for operations: the alarms it created and a way to route
 * all of them to the same actions (an SNS topic, an incident tool).
 */
export interface IMonitoredPattern {
  /**
   * Every alarm this construct created (empty when alarms are turned off).
   */
  readonly alarms: cloudwatch.IAlarm[];

  /**
   * Adds the given actions to every alarm of this construct, for the ALARM and OK states.
   */
  addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void;
}
