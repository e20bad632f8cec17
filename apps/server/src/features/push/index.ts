/** What other features and the server may use from push. */
export { PushWorker, DEFAULT_PUSH_WORKER_OPTIONS, type PushWorkerOptions } from './worker.ts';
export { NOTIFICATION_KINDS, type NotificationKind } from './routes.ts';
export { endpointAad as pushEndpointAad, keysAad as pushKeysAad } from './data.ts';
