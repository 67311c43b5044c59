import { Annotations, Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { fail } from './validation';

/**
 * CloudWatch accepts at most 5 actions per alarm state (AlarmActions, OKActions: "Array Members: Maximum
 * number of 5 items").
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const MAX_ACTIONS_PER_ALARM_STATE = 5;

/** The service principal CloudWatch alarms publish to SNS as. */
const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/**
 * Adds the actions to each alarm for the ALARM and OK states (composite or imported alarms are skipped).
 *
 * Refuses more than 5 actions per alarm state (CloudWatch's limit). For every SNS action whose topic is
 * defined in the app, checks at synth that the topic policy lets `cloudwatch.amazonaws.com` publish and,
 * for a topic encrypted with a key defined in the app, that the key policy lets it use the key: without
 * both, CloudWatch is refused and no notification is sent. A warning says what is missing.
 * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function wireAlarmActions(alarms: cloudwatch.IAlarm[], actions: cloudwatch.IAlarmAction[]): void {
  if (actions.length === 0) {
    // Older aws-cdk-lib releases render an empty AlarmActions list for a call without actions.
    return;
  }
  const wired = alarms.filter((a): a is cloudwatch.Alarm => a instanceof cloudwatch.Alarm);
  const topics = wired.length === 0 ? [] : alarmTopicsOf(wired[0], actions);
  for (const alarm of wired) {
    const cfnAlarm = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    const owner = alarm.node.scope ?? alarm;
    for (const [state, existing] of [['ALARM', cfnAlarm.alarmActions], ['OK', cfnAlarm.okActions]] as const) {
      const count = actionCount(alarm, existing) + actions.length;
      if (count > MAX_ACTIONS_PER_ALARM_STATE) {
        fail(owner, `alarmActions and addAlarmAction may give an alarm at most ${MAX_ACTIONS_PER_ALARM_STATE} actions per state (CloudWatch's limit), but ${alarm.node.path} would have ${count} for ${state}`);
      }
    }
    alarm.addAlarmAction(...actions);
    alarm.addOkAction(...actions);
    for (const topic of topics) {
      watchAlarmTopic(alarm, topic);
    }
  }
}

/** How many actions an alarm state already has (the L2 renders them lazily). */
function actionCount(alarm: cloudwatch.Alarm, rendered: string[] | undefined): number {
  const resolved: unknown = Stack.of(alarm).resolve(rendered);
  return Array.isArray(resolved) ? resolved.length : 0;
}

/** Topics already watched, with the paths of the alarms that notify them. */
const watchedTopics = new WeakMap<sns.ITopic, string[]>();

/**
 * The topics defined in the app that SNS actions among `actions` publish to. SnsAction.bind only returns
 * the topic ARN; a literal ARN is a topic imported by ARN, whose policy is not in this app.
 */
function alarmTopicsOf(alarm: cloudwatch.Alarm, actions: cloudwatch.IAlarmAction[]): sns.Topic[] {
  const arns = actions.filter((a) => a instanceof cloudwatchActions.SnsAction)
    .map((a) => a.bind(alarm, alarm).alarmActionArn)
    .filter((arn) => Token.isUnresolved(arn));
  if (arns.length === 0) {
    return [];
  }
  return Stack.of(alarm).node.root.node.findAll()
    .filter((c): c is sns.Topic => c instanceof sns.Topic && arns.includes(c.topicArn));
}

/** Registers the topic for the synth-time check, once per topic. */
function watchAlarmTopic(alarm: cloudwatch.Alarm, topic: sns.Topic): void {
  const paths = watchedTopics.get(topic);
  if (paths !== undefined) {
    if (!paths.includes(alarm.node.path)) {
      paths.push(alarm.node.path);
    }
    return;
  }
  const alarmPaths = [alarm.node.path];
  watchedTopics.set(topic, alarmPaths);
  Aspects.of(topic).add(new AlarmTopicCheck(topic, alarmPaths));
}

/** Checks, once the app is complete, that CloudWatch may publish to the topic and use its key. */
class AlarmTopicCheck implements IAspect {
  constructor(private readonly topic: sns.Topic, private readonly alarmPaths: string[]) {}

  public visit(node: IConstruct): void {
    if (node !== this.topic) {
      return;
    }
    const which = this.alarmPaths.length === 1 ? this.alarmPaths[0] : `${this.alarmPaths[0]} and ${this.alarmPaths.length - 1} more alarms`;
    if (!topicPolicyAllowsCloudWatch(this.topic)) {
      Annotations.of(this.topic).addWarningV2('cdk-reference-patterns:alarmTopicPolicy',
        `${which} notify this topic, but its topic policy does not allow ${CLOUDWATCH} to publish (sns:Publish), so CloudWatch's notifications are refused: use AlarmTopic, or add that statement scoped with aws:SourceArn to this account's alarms`);
    }
    const key = this.topic.masterKey;
    if (key === undefined) {
      return;
    }
    const aliasName = (key as { aliasName?: string }).aliasName;
    if (aliasName === 'alias/aws/sns') {
      Annotations.of(this.topic).addWarningV2('cdk-reference-patterns:alarmTopicKey',
        `${which} notify this topic, but it is encrypted with the AWS managed key alias/aws/sns, whose policy cannot let ${CLOUDWATCH} use it: encrypt the topic with a customer managed key that allows it`);
    } else if (key instanceof kms.Key && !keyPolicyAllowsCloudWatch(key)) {
      Annotations.of(this.topic).addWarningV2('cdk-reference-patterns:alarmTopicKey',
        `${which} notify this topic, but the policy of its key ${key.node.path} does not let ${CLOUDWATCH} use it (kms:GenerateDataKey*, kms:Decrypt), so CloudWatch's notifications are refused: use AlarmTopic, or add that statement to the key policy`);
    }
  }
}

type Statement = { Effect?: string; Principal?: unknown; Action?: unknown; NotPrincipal?: unknown; NotAction?: unknown };

function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement[] } | undefined)?.Statement;
  return Array.isArray(statements) ? statements : [];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether the statement's principal covers CloudWatch (its service principal, or everyone). */
function coversCloudWatch(principal: unknown): boolean {
  if (principal === '*') {
    return true;
  }
  const p = principal as { Service?: unknown; AWS?: unknown } | undefined;
  return asList(p?.Service).includes(CLOUDWATCH) || asList(p?.AWS).includes('*');
}

function coversAction(actions: unknown, wanted: string[]): boolean {
  const list = asList(actions).filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase());
  const service = wanted[0].split(':')[0];
  return wanted.every((w) => list.some((a) => a === '*' || a === `${service}:*` || a === w.toLowerCase()
    || (a.endsWith('*') && w.toLowerCase().startsWith(a.slice(0, -1)))));
}

function allows(document: unknown, actions: string[]): boolean {
  return statementsOf(document).some((s) => s.Effect === 'Allow' && s.NotPrincipal === undefined && s.NotAction === undefined
    && coversCloudWatch(s.Principal) && coversAction(s.Action, actions));
}

/** Whether a topic policy of the topic's stack (CfnTopicPolicy or CfnTopicInlinePolicy) allows CloudWatch to publish. */
function topicPolicyAllowsCloudWatch(topic: sns.Topic): boolean {
  const stack = Stack.of(topic);
  const topicArn = JSON.stringify(stack.resolve(topic.topicArn));
  return stack.node.findAll().some((c) => {
    if (c instanceof sns.CfnTopicPolicy) {
      const topics = asList(stack.resolve(c.topics)).map((t) => JSON.stringify(t));
      return topics.includes(topicArn) && allows(stack.resolve(c.policyDocument), ['sns:Publish']);
    }
    if (c instanceof sns.CfnTopicInlinePolicy) {
      return JSON.stringify(stack.resolve(c.topicArn)) === topicArn && allows(stack.resolve(c.policyDocument), ['sns:Publish']);
    }
    return false;
  });
}

/** Whether the key's policy lets CloudWatch generate data keys and decrypt. */
function keyPolicyAllowsCloudWatch(key: kms.Key): boolean {
  const cfnKey = key.node.defaultChild as kms.CfnKey;
  return allows(Stack.of(key).resolve(cfnKey.keyPolicy), ['kms:GenerateDataKey', 'kms:Decrypt']);
}
