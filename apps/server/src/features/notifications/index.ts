/** What other features may use from notifications: create (in a transaction), then publish after commit. */
export { NotificationSchema, type NotificationDto } from './data.ts';
export { insertNotifications, publishNotifications, type CreatedNotification, type NewNotification } from './mutations.ts';
