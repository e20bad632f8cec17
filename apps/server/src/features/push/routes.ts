/** Web Push subscriptions and notification preferences (docs/api.md, "Notifications, push and an installable app"). */
import { createPublicKey } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import {
  notificationSettingsInput,
  NotificationSettingsSchema,
  PushSubscriptionSchema,
  pushKeysInput,
  pushSubscriptionInput,
  pushUnsubscribeInput,
  VapidKeySchema,
} from '@queuecrew/shared';
import { commonErrors, jsonBody, jsonResponse } from '../../lib/openapi.ts';

export { NotificationSettingsSchema };

const tags = ['push'];

/** The kinds of notification a user can switch push on or off for (missing in storage = on). */
export { NOTIFICATION_KINDS, type NotificationKind } from '@queuecrew/shared';

const decode = (s: string) => Buffer.from(s.replace(/=+$/, ''), 'base64url');

/** An uncompressed P-256 point on the curve (65 bytes, 0x04 ‖ x ‖ y), as PushSubscription.getKey('p256dh') gives it. */
function isP256Point(value: string): boolean {
  const bytes = decode(value);
  if (bytes.length !== 65 || bytes[0] !== 4) return false;
  try {
    // Importing as a JWK checks that the point is on the curve (an off-curve point is an invalid-curve attack).
    createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: bytes.subarray(1, 33).toString('base64url'), y: bytes.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}

/** The shared shape (@queuecrew/shared pushKeysInput), plus the checks as key material. */
export const PushKeysInput = z
  .strictObject({
    p256dh: pushKeysInput.shape.p256dh.refine(isP256Point, 'Must be a P-256 public key: 65 bytes, uncompressed, base64url.'),
    auth: pushKeysInput.shape.auth.refine((v) => decode(v).length === 16, 'Must be 16 bytes, base64url.'),
  })
  .openapi('PushKeys');

export const SubscribeInput = pushSubscriptionInput.extend({ keys: PushKeysInput }).openapi('PushSubscriptionInput');

export const UnsubscribeInput = pushUnsubscribeInput;

export const vapidKey = createRoute({
  method: 'get',
  path: '/push/vapid-key',
  tags,
  summary: 'The VAPID public key to pass to pushManager.subscribe() as applicationServerKey',
  responses: { 200: jsonResponse('The key (base64url)', VapidKeySchema), ...commonErrors },
});

export const subscribe = createRoute({
  method: 'post',
  path: '/push/subscriptions',
  tags,
  summary: 'Register this device for Web Push',
  description:
    'Idempotent for the same endpoint. An endpoint already bound to another account moves to the caller. At most 10 devices per account: the oldest is dropped. 400 `invalid_push_endpoint` unless the endpoint is https on a public host name.',
  request: jsonBody(SubscribeInput),
  responses: { 201: jsonResponse('Subscribed', PushSubscriptionSchema), ...commonErrors },
});

export const unsubscribe = createRoute({
  method: 'delete',
  path: '/push/subscriptions',
  tags,
  summary: 'Stop Web Push for this device',
  request: jsonBody(UnsubscribeInput),
  responses: { 204: { description: 'Unsubscribed (also when the endpoint was not subscribed)' }, ...commonErrors },
});

export const getSettings = createRoute({
  method: 'get',
  path: '/users/me/notification-settings',
  tags,
  summary: 'Your per-kind push preferences',
  responses: { 200: jsonResponse('The settings', NotificationSettingsSchema), ...commonErrors },
});

export const updateSettings = createRoute({
  method: 'patch',
  path: '/users/me/notification-settings',
  tags,
  summary: 'Switch push on or off per kind of notification',
  request: jsonBody(notificationSettingsInput),
  responses: { 200: jsonResponse('The settings', NotificationSettingsSchema), ...commonErrors },
});
