/** What other features may use from groups: the policy, group/member reads and the live-event helper. */
export { requireMember, requireMemberWithGroup, requireRole, hasRole, denied, type Membership } from './policy.ts';
export {
  findGroup,
  findMember,
  memberCountOf,
  idParam,
  GroupParams,
  MemberSchema,
  RoleSchema,
  type GroupRow,
  type MemberDto,
  type Role,
} from './data.ts';
export { publishEvents } from './events.ts';
