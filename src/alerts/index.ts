export { checkAlerts, type CheckAlertsOptions, type CheckAlertsResult } from './check.js';
export { baselineCoverage, type BaselineCoverage } from './coverage.js';
export {
  alertChannels,
  deliverPending,
  sendToChannel,
  signBody,
  SIGNATURE_HEADER,
  IDEMPOTENCY_HEADER,
  type AlertChannel,
  type DeliveryReport,
} from './deliver.js';
export { alertPayload, describeAlert, githubWebUrl, type AlertPayload } from './message.js';
export { listAlerts, type AlertRow, type ListedAlert } from './store.js';
export { evaluateDay, COUNT_SIGNALS, type CountSignal, type SignalThresholds } from './detect.js';
