import type { AuthUser } from './auth-user.js';

/** The Cognito group (`cognito:groups`) whose members administer the platform. */
export const ADMIN_GROUP = 'admin';

/** Whether the caller is an administrator: the one place the api decides that. */
export function isAdmin(user: AuthUser): boolean {
  return user.groups.includes(ADMIN_GROUP);
}
